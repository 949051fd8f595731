package dev.mesa.it.app;

import dev.mesa.Identity;
import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnAuthenticate;
import dev.mesa.OnMessage;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Authentication required AND enforce_equal_versions: what a mesa-js-client does here is send
 * CLIENT_VERSION right after hello, before it authenticates.
 */
@MesaEndpoint("/strict")
public class StrictEndpoint {

    @OnAuthenticate
    Identity authenticate(JsonObject credentials) {
        return Users.authenticate(credentials);
    }

    @OnMessage("ECHO")
    Message echo(JsonValue d) {
        return Message.of("ECHO", d);
    }
}
