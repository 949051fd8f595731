package dev.mesa.runtime;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** The single-instance broker: every recipient is local. */
@Singleton
class InMemoryBroker implements Broker {

    @Inject
    LocalDelivery delivery;

    @Override
    public void publish(Envelope envelope) {
        delivery.deliver(envelope);
    }
}
