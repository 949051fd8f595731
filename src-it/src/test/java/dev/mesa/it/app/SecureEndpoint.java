package dev.mesa.it.app;

import dev.mesa.Identity;
import dev.mesa.Mesa;
import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnAuthenticate;
import dev.mesa.OnMessage;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/** mesa.endpoint.secure.authentication.required=true, timeout 1s. */
@MesaEndpoint("/secure")
public class SecureEndpoint {

    @Inject
    Mesa mesa;

    @OnAuthenticate
    Identity authenticate(JsonObject credentials) {
        return Users.authenticate(credentials);
    }

    @OnMessage("ECHO")
    Message echo(JsonValue d) {
        return Message.of("ECHO", d);
    }

    @OnMessage("SEND")
    Message send(JsonObject d) {
        return Sends.execute(mesa, d);
    }
}
