package dev.mesa.it.app;

import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnMessage;
import jakarta.json.JsonValue;

/** allowed-origins = * ; default name from the path "/any/origin" is "any-origin". */
@MesaEndpoint("/any/origin")
public class AnyOriginEndpoint {

    @OnMessage("ECHO")
    Message echo(JsonValue d) {
        return Message.of("ECHO", d);
    }
}
