package dev.mesa.it.app;

import dev.mesa.Connection;
import dev.mesa.Identity;
import dev.mesa.Mesa;
import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnAuthenticate;
import dev.mesa.OnMessage;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** Authentication optional: echo, server-side sends, server-initiated close. */
@MesaEndpoint("/open")
public class OpenEndpoint {

    @Inject
    Mesa mesa;

    @OnAuthenticate
    Identity authenticate(JsonObject credentials) {
        return Users.authenticate(credentials);
    }

    @OnMessage("ECHO")
    Message echo(JsonValue d) {
        return Message.of("ECHO", d);
    }

    @OnMessage("SEND")
    Message send(JsonObject d) {
        return Sends.execute(mesa, d);
    }

    /** {@code CLOSE {"code":4321,"reason":"bye"}} closes with that code; {@code CLOSE {}} with 1000. */
    @OnMessage("CLOSE")
    void close(Connection connection, JsonObject d) {
        if (d.containsKey("code")) {
            connection.disconnect(d.getInt("code"), d.getString("reason", ""));
        } else {
            connection.disconnect();
        }
    }
}
