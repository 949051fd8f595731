package dev.mesa.it.app;

import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnMessage;
import jakarta.json.JsonValue;

/** allowed-origins = http://good.example,http://also-good.example:8080 */
@MesaEndpoint("/origin")
public class OriginEndpoint {

    @OnMessage("ECHO")
    Message echo(JsonValue d) {
        return Message.of("ECHO", d);
    }
}
