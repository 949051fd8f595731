package dev.mesa.runtime;

/**
 * Carries envelopes to every instance of the application that holds a
 * recipient. The in-memory broker serves a single instance; a replicated one
 * (Redis) publishes to the others as well. Implementations never block the caller.
 */
interface Broker {

    void publish(Envelope envelope);
}
