package dev.mesa.it.client;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;

/**
 * One complete WebSocket message the test client received.
 *
 * @param atNanos  {@link System#nanoTime()} when its last fragment arrived
 * @param binary   whether it was a binary message
 * @param text     the text (for binary: a hex-free placeholder)
 */
public record Frame(long atNanos, boolean binary, String text) {

    /** @return the text parsed as a JSON object (fails the test if it is not one) */
    public JsonObject json() {
        if (binary) {
            throw new AssertionError("expected a JSON text frame, got a binary frame");
        }
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw new AssertionError("frame is not a JSON object: " + text);
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw new AssertionError("frame is not JSON: " + text, e);
        }
    }

    /** @return the frame's op, or -1 when it has none */
    public int op() {
        JsonObject o = json();
        return o.containsKey("op") && o.get("op").getValueType() == JsonValue.ValueType.NUMBER ? o.getInt("op") : -1;
    }

    /** @return the frame's type {@code t}, or null */
    public String type() {
        JsonObject o = json();
        return o.containsKey("t") && o.get("t").getValueType() == JsonValue.ValueType.STRING ? o.getString("t") : null;
    }

    @Override
    public String toString() {
        return binary ? "<binary " + text + ">" : text;
    }
}
