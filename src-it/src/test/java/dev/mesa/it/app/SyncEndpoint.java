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

/** Deployed alone in the sync WAR (mesa.sync.enabled=true). */
@MesaEndpoint("/sync")
public class SyncEndpoint {

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
