package dev.mesa.it.app;

import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnMessage;
import jakarta.json.JsonValue;

/** enforce-equal-versions=true (client version default 1.5.8). Path has a slash: explicit name. */
@MesaEndpoint(value = "/v/strict", name = "versioned")
public class VersionedEndpoint {

    @OnMessage("ECHO")
    Message echo(JsonValue d) {
        return Message.of("ECHO", d);
    }
}
