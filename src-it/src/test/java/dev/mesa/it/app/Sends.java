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
import java.util.concurrent.CompletionStage;

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
        Message message = message(d);
        String type = message.type();
        if (d.getBoolean("global", false)) {
            mesa.send(message);
        } else {
            mesa.send(message, strings(d.getJsonArray("ids")), strings(d.getJsonArray("excluding")));
        }
        return Message.of("SENT", Json.createObjectBuilder().add("type", type).build());
    }

    /** @return the message a request describes: {@code type}, {@code payload} (default {}), {@code transient} */
    public static Message message(JsonObject body) {
        String type = body.getString("type");
        JsonValue payload = body.getOrDefault("payload", JsonValue.EMPTY_JSON_OBJECT);
        return body.getBoolean("transient", false) ? Message.transientOf(type, payload) : Message.of(type, payload);
    }

    /**
     * What the REST test resources do with {@code {"ids":[...], "excluding":[...], "type":"X", "payload":{...},
     * "transient":bool}}: {@code dispatch(msg, ids, excluding)}, or {@code dispatch(msg)} without ids.
     */
    public static void dispatch(Dispatcher dispatcher, JsonObject body) {
        if (body.containsKey("ids")) {
            dispatcher.dispatch(message(body), strings(body.getJsonArray("ids")), strings(body.getJsonArray("excluding")));
        } else {
            dispatcher.dispatch(message(body));
        }
    }

    /** As {@link #dispatch}, through {@link Dispatcher#dispatchAsync}: no ids means everyone, minus {@code excluding}. */
    public static CompletionStage<Void> dispatchAsync(Dispatcher dispatcher, JsonObject body) {
        List<String> ids = body.containsKey("ids") ? strings(body.getJsonArray("ids")) : List.of(Dispatcher.EVERYONE);
        return dispatcher.dispatchAsync(message(body), ids, strings(body.getJsonArray("excluding")));
    }

    /** @return the strings of a JSON array; empty for null */
    public static List<String> strings(JsonArray array) {
        return array == null ? List.of() : array.getValuesAs(JsonString.class).stream().map(JsonString::getString).toList();
    }
}
