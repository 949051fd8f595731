package dev.mesa.runtime.elsewhere;

import jakarta.inject.Inject;

import dev.mesa.Connection;
import dev.mesa.Mesa;
import dev.mesa.Message;
import dev.mesa.OnMessage;

/** Handlers an endpoint in another package inherits: package-private, with an injected field. */
public abstract class BaseHandlers {

    @Inject
    Mesa mesa;

    @OnMessage("COUNT")
    Message count(Connection c) {
        return Message.of("COUNT", mesa.connectionCount());
    }
}
