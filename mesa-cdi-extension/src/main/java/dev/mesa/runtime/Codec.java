package dev.mesa.runtime;

import java.io.StringReader;
import java.lang.reflect.Type;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import jakarta.inject.Singleton;

import dev.mesa.CloseCodes;
import dev.mesa.Message;

/**
 * Mesa's JSON: parses client frames with JSON-P, writes server frames with a
 * hand-written envelope around a JSON-B body, so that a message is serialised
 * once however many connections receive it, and binds payloads to handler
 * parameter types with JSON-B.
 */
@Singleton
class Codec {

    private final JsonReaderFactory readers = Json.createReaderFactory(Map.of());
    private final Jsonb jsonb;

    Codec() {
        this(JsonbBuilder.create());
    }

    Codec(Jsonb jsonb) {
        this.jsonb = jsonb;
    }

    /**
     * @param text a client frame
     * @return the frame
     * @throws InvalidFrameException when it is not a JSON object with an integral {@code op}
     */
    Inbound parse(String text) throws InvalidFrameException {
        JsonValue value;
        try (JsonReader reader = readers.createReader(new StringReader(text))) {
            value = reader.readValue();
        } catch (JsonException | IllegalStateException e) {
            throw new InvalidFrameException(CloseCodes.INVALID_PAYLOAD, "Frame is not valid JSON");
        }
        if (!(value instanceof JsonObject frame)) {
            throw new InvalidFrameException(CloseCodes.INVALID_PAYLOAD, "Frame is not a JSON object");
        }
        JsonValue op = frame.get("op");
        if (!(op instanceof JsonNumber number) || !number.isIntegral()) {
            throw new InvalidFrameException(CloseCodes.PROTOCOL_ERROR, op == null ? "Frame has no op" : "op is not an integer");
        }
        int opcode;
        try {
            opcode = number.intValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidFrameException(CloseCodes.PROTOCOL_ERROR, "op is out of range");
        }
        JsonValue t = frame.get("t");
        String type = null;
        if (t instanceof JsonString s) {
            type = s.getString();
        } else if (t != null && t != JsonValue.NULL) {
            throw new InvalidFrameException(CloseCodes.INVALID_PAYLOAD, "t is not a string");
        }
        boolean sync = true;
        if (frame.get("o") instanceof JsonObject options && options.get("sync") == JsonValue.FALSE) {
            sync = false;
        }
        JsonValue data = frame.get("d");
        return new Inbound(opcode, data == null ? JsonValue.NULL : data, type, sync);
    }

    /**
     * @param message  the message
     * @param sequence the {@code s} to add (redelivered messages), or 0 for none
     * @return the text frame
     */
    String encode(Message message, long sequence) {
        return Frames.frame(message.opcode(), body(message.data()), message.type(), sequence);
    }

    /** @return the JSON of a message body; {@code null} becomes {@code {}} as Mesa clients destructure it */
    String body(Object data) {
        if (data == null) {
            return "{}";
        }
        if (data instanceof JsonValue json) {
            return json.toString();
        }
        return jsonb.toJson(data);
    }

    /**
     * Binds a payload to a handler parameter type.
     *
     * @throws JsonbException when the value does not fit the type
     */
    Object bind(JsonValue value, Type type) {
        if (type instanceof Class<?> c) {
            if (JsonValue.class.isAssignableFrom(c)) {
                if (!c.isInstance(value)) {
                    throw new JsonbException("expected " + c.getSimpleName() + " but got " + value.getValueType());
                }
                return value;
            }
            if (c == Object.class) {
                return value;
            }
            if (c == String.class && value instanceof JsonString s) {
                return s.getString();
            }
        }
        return jsonb.fromJson(value.toString(), type);
    }

    /**
     * Binds message data to a handler parameter type: the JSON a client sent, or
     * the Java object an interceptor put in its place (handed over as is when it
     * already fits, else converted through its JSON).
     */
    Object bindData(Object data, Type type) {
        if (data instanceof JsonValue json) {
            return bind(json, type);
        }
        if (data != null && type instanceof Class<?> c && c.isInstance(data)) {
            return data;
        }
        try (JsonReader reader = readers.createReader(new StringReader(body(data)))) {
            return bind(reader.readValue(), type);
        }
    }

    void close() {
        try {
            jsonb.close();
        } catch (Exception e) {
            // Nothing to recover at shutdown.
        }
    }
}
