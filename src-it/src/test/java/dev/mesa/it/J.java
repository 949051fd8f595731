package dev.mesa.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import java.io.StringReader;

/** JSON literals for expected frames: single quotes stand for double quotes. */
public final class J {

    private J() {
    }

    /** {@code J.obj("{'op':22,'d':{}}")}. */
    public static JsonObject obj(String json) {
        return value(json).asJsonObject();
    }

    public static JsonValue value(String json) {
        try (JsonReader r = Json.createReader(new StringReader(json.replace('\'', '"')))) {
            return r.readValue();
        }
    }
}
