package dev.mesa.it.app;

import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import dev.mesa.Identity;
import dev.mesa.Mesa;
import dev.mesa.Message;
import dev.mesa.OnAuthenticate;
import dev.mesa.OnMessage;

/**
 * The handlers most test endpoints share: the test authenticator, ECHO and SEND.
 * Endpoints inherit them, which also proves that inherited handler methods work.
 */
public abstract class StandardHandlers {

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
