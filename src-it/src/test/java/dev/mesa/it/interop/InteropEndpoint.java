package dev.mesa.it.interop;

import dev.mesa.AuthenticationException;
import dev.mesa.Connection;
import dev.mesa.Identity;
import dev.mesa.Mesa;
import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnAuthenticate;
import dev.mesa.OnMessage;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.Map;

/**
 * The endpoint the real npm clients talk to in {@link InteropIT}. Its Node twin, for checking the
 * tests against Mesa 1.5.8 itself, is {@code src-it/interop/reference-server.mjs}.
 *
 * <ul>
 *   <li>authentication: token {@code "u:<id>"} is user {@code <id>} with user object
 *       {@code {"id": id, "name": "User " + id}}; anything else is rejected (close 1008);</li>
 *   <li>{@code ECHO}: answers the sender with {@code ECHO} and the same data;</li>
 *   <li>{@code SEND {ids?, excluding?, type, payload}}: {@link Mesa#send} of {@code type}/{@code payload}
 *       to everyone (no ids), to {@code ids}, or to {@code ids} minus {@code excluding};</li>
 *   <li>{@code KICK}: the server closes the sender's connection ({@link Connection#disconnect()}).</li>
 * </ul>
 */
@MesaEndpoint("/interop")
public class InteropEndpoint {

    @Inject
    Mesa mesa;

    @OnAuthenticate
    public Identity authenticate(JsonObject credentials) {
        JsonValue token = credentials.get("token");
        if (token instanceof JsonString s && s.getString().startsWith("u:") && s.getString().length() > 2) {
            String id = s.getString().substring(2);
            return new Identity(id, Map.of("id", id, "name", "User " + id));
        }
        throw new AuthenticationException("interop: the token must be \"u:<id>\"");
    }

    @OnMessage("ECHO")
    public Message echo(JsonValue data) {
        return Message.of("ECHO", data);
    }

    @OnMessage("SEND")
    public void send(JsonObject request) {
        Message message = Message.of(request.getString("type"), request.get("payload"));
        List<String> ids = strings(request, "ids");
        List<String> excluding = strings(request, "excluding");
        if (ids == null) {
            mesa.send(message);
        } else if (excluding == null) {
            mesa.send(message, ids);
        } else {
            mesa.send(message, ids, excluding);
        }
    }

    @OnMessage("KICK")
    public void kick(Connection connection) {
        connection.disconnect();
    }

    private static List<String> strings(JsonObject object, String name) {
        JsonValue value = object.get(name);
        if (!(value instanceof JsonArray array)) {
            return null;
        }
        return array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
