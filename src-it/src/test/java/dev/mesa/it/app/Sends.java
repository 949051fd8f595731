package dev.mesa.it.app;

import dev.mesa.Dispatcher;
import dev.mesa.Mesa;
import dev.mesa.Message;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.List;

/**
 * Executes a client's {@code SEND} request through the injected {@link Mesa}:
 * {@code {"ids":[...], "excluding":[...], "type":"X", "payload":{...}, "global":bool, "transient":bool}}.
 * {@code global} uses {@code Mesa.send(msg)}; otherwise {@code send(msg, ids, excluding)}.
 * The sender is answered {@code SENT {}} once the send call has returned.
 */
public final class Sends {

    private Sends() {
    }

    public static Message execute(Mesa mesa, JsonObject d) {
        String type = d.getString("type");
        JsonValue payload = d.getOrDefault("payload", JsonValue.EMPTY_JSON_OBJECT);
        Message message = d.getBoolean("transient", false)
                ? Message.transientOf(type, payload)
                : Message.of(type, payload);
        if (d.getBoolean("global", false)) {
            mesa.send(message);
        } else {
            mesa.send(message, strings(d.getJsonArray("ids")), strings(d.getJsonArray("excluding")));
        }
        return Message.of("SENT", Json.createObjectBuilder().add("type", type).build());
    }

    /**
     * What the REST test resources do with {@code {"ids":[...], "excluding":[...], "type":"X", "payload":{...},
     * "transient":bool}}: {@code dispatch(msg, ids, excluding)}, or {@code dispatch(msg)} without ids.
     */
    public static void dispatch(Dispatcher dispatcher, JsonObject body) {
        String type = body.getString("type");
        JsonValue payload = body.getOrDefault("payload", JsonValue.EMPTY_JSON_OBJECT);
        Message message = body.getBoolean("transient", false) ? Message.transientOf(type, payload) : Message.of(type, payload);
        if (body.containsKey("ids")) {
            dispatcher.dispatch(message, strings(body.getJsonArray("ids")), strings(body.getJsonArray("excluding")));
        } else {
            dispatcher.dispatch(message);
        }
    }

    /** @return the strings of a JSON array; empty for null */
    public static List<String> strings(JsonArray array) {
        return array == null ? List.of() : array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
