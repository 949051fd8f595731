package dev.mesa.it.app;

import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnMessage;
import jakarta.json.JsonValue;

/** Heartbeats every 400 ms, max 2 attempts; reconnect 1 s; store_messages rule. Named by its path: "hb". */
@MesaEndpoint("/hb")
public class HeartbeatEndpoint {

    @OnMessage("ECHO")
    Message echo(JsonValue d) {
        return Message.of("ECHO", d);
    }
}
