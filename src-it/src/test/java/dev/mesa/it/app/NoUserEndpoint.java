package dev.mesa.it.app;

import dev.mesa.Identity;
import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnAuthenticate;
import dev.mesa.OnMessage;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** send-user-object=false and no authentication timeout: hello rules are empty, op 22 carries {}. */
@MesaEndpoint(value = "/nouser")
public class NoUserEndpoint {

    @OnAuthenticate
    Identity authenticate(JsonObject credentials) {
        return Users.authenticate(credentials);
    }

    @OnMessage("ECHO")
    Message echo(JsonValue d) {
        return Message.of("ECHO", d);
    }
}
