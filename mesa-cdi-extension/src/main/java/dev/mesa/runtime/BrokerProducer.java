package dev.mesa.runtime;

import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.mesa.event.UndeliverableMessage;
import dev.mesa.runtime.redis.RedisBroker;

/**
 * Chooses the broker: Redis when {@code mesa.redis.*} names a server, in memory
 * otherwise. {@link MesaRuntimeImpl} stops it, after closing the connections
 * whose presence it must withdraw.
 */
@Singleton
class BrokerProducer {

    @Inject
    MesaExtension extension;
    @Inject
    EventSink events;

    @Produces
    @Singleton
    Broker broker() {
        AppSettings app = extension.appSettings();
        if (app.redis() == null) {
            return new InMemoryBroker();
        }
        return new RedisBroker(app.redis(), app.namespace(), app.syncEnabled(), app.syncResume(), (message, users) -> {
            if (events.wanted(UndeliverableMessage.class)) {
                events.fire(new UndeliverableMessage(message, List.copyOf(users)));
            }
        }, app.syncMaxMessages(), app.syncRetention());
    }
}
