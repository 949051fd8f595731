package dev.mesa.runtime.redis;

import java.util.Map;
import java.util.LinkedHashMap;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.mesa.Message;
import dev.mesa.runtime.Envelope;
import dev.mesa.runtime.Envelope.Audience;
import dev.mesa.runtime.Frames;

/**
 * Reads publications on Mesa's channel, from our instances or Node Mesa (see
 * {@link Publication} for the format).
 */
final class Wire {

    /**
     * Made once: {@code Json.createReader} looks the JSON provider up on every call (a ServiceLoader scan of
     * the application's class path under Liberty), which cost more than the rest of a delivery.
     */
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private Wire() {
    }

    /**
     * @param logForeign whether a synced message to users that Node Mesa published (no {@code mesa} member,
     *                   so nobody logged it) is {@link Envelope#toBeLogged() to be logged}
     * @return the envelope, or {@code null} when this instance published it itself
     * @throws IllegalArgumentException when the payload is not a Mesa publication
     */
    static Envelope decode(String payload, String self, boolean logForeign) {
        return decode(payload, Publication.originPrefix(self), self, logForeign);
    }

    /** As {@link #decode(String, String, boolean)}, with {@code selfPrefix} = {@link Publication#originPrefix}{@code (self)}. */
    static Envelope decode(String payload, String selfPrefix, String self, boolean logForeign) {
        if (payload.startsWith(selfPrefix)) {
            // Our own: every instance hears what it publishes, and a broadcast's pad is not worth parsing.
            return null;
        }
        JsonObject root;
        try (JsonReader reader = READERS.createReader(new StringReader(payload))) {
            root = reader.readObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a JSON object");
        }
        JsonObject mesa = root.get("mesa") instanceof JsonObject m ? m : null;
        if (mesa != null && mesa.get("origin") instanceof JsonString o && o.getString().equals(self)) {
            return null;
        }
        if (!(root.get("message") instanceof JsonObject message) || !(message.get("op") instanceof JsonNumber op)) {
            throw new IllegalArgumentException("no message with an op");
        }
        JsonValue data = message.containsKey("d") && message.get("d") != JsonValue.NULL ? message.get("d") : JsonValue.EMPTY_JSON_OBJECT;
        String type = message.get("t") instanceof JsonString t ? t.getString() : null;
        List<String> recipients = strings(root.get("recipients"));
        Audience audience;
        if (mesa != null && mesa.get("audience") instanceof JsonString a) {
            audience = Audience.valueOf(a.getString().toUpperCase(Locale.ROOT));
        } else {
            // Node Mesa: "*" is every connection, anything else is user ids.
            audience = recipients.contains("*") ? Audience.CONNECTIONS : Audience.USERS;
        }
        List<String> excluding = mesa == null ? List.of() : strings(mesa.get("excluding"));
        // A Node Dispatcher's message carries its options; a Node server's publication has none (synced).
        boolean sync = !(message.get("o") instanceof JsonObject o && o.get("sync") == JsonValue.FALSE);
        Message m = new Message(op.intValue(), data, type, sync);
        // Rebuilt rather than forwarded: a Node Dispatcher's message may carry "o", which clients never see.
        String frame = m.opcode() == Message.INTERNAL ? "" : Frames.frame(m.opcode(), data.toString(), type, 0);
        Map<String, Long> seqs = new LinkedHashMap<>();
        if (mesa != null && mesa.get("seq") instanceof JsonObject numbered) {
            numbered.forEach((user, v) -> {
                if (v instanceof JsonNumber n && n.isIntegral()) {
                    seqs.put(user, n.longValue());
                }
            });
        }
        Envelope e = new Envelope(m, frame, audience, audience == Audience.USERS ? Set.copyOf(recipients) : Set.of(),
                Set.copyOf(excluding), seqs);
        boolean unlogged = mesa == null && audience == Audience.USERS && sync && m.opcode() == Message.DISPATCH
                && !e.users().isEmpty();
        return logForeign && unlogged ? e.toBeLogged() : e;
    }

    private static List<String> strings(JsonValue value) {
        List<String> out = new ArrayList<>();
        if (value instanceof JsonArray array) {
            for (JsonValue v : array) {
                if (v instanceof JsonString s) {
                    out.add(s.getString());
                }
            }
        }
        return out;
    }
}
