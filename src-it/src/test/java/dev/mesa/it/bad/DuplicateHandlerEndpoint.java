package dev.mesa.it.bad;

import dev.mesa.MesaEndpoint;
import dev.mesa.OnMessage;
import jakarta.json.JsonObject;

/** Invalid: two handlers for type "X". */
@MesaEndpoint("/dup")
public class DuplicateHandlerEndpoint {

    @OnMessage("X")
    void first(JsonObject d) {
    }

    @OnMessage("X")
    void second(JsonObject d) {
    }
}
