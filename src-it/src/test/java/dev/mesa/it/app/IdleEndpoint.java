package dev.mesa.it.app;

import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnMessage;
import jakarta.json.JsonValue;

/** limits.idle-timeout=700ms. */
@MesaEndpoint("/idle")
public class IdleEndpoint {

    @OnMessage("ECHO")
    Message echo(JsonValue d) {
        return Message.of("ECHO", d);
    }
}
