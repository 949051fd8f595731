package dev.mesa.runtime;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.mesa.Dispatcher;
import dev.mesa.Mesa;
import dev.mesa.Message;
import dev.mesa.runtime.Envelope.Audience;

/**
 * The {@link Mesa} facade and the {@link Dispatcher}: validates the addressing,
 * serialises the message once, and hands it to the broker.
 */
@Singleton
class DispatchService implements Mesa, Dispatcher {

    @Inject
    Codec codec;
    @Inject
    Broker broker;
    @Inject
    ConnectionRegistry registry;
    @Inject
    LocalDelivery delivery;

    @Override
    public void send(Message message) {
        publish(message, Audience.CONNECTIONS, Set.of(), Set.of());
    }

    @Override
    public void send(Message message, Collection<String> ids, Collection<String> excluding) {
        dispatch(message, ids, excluding);
    }

    @Override
    public void dispatch(Message message, Collection<String> recipients, Collection<String> excluding) {
        dispatchAsync(message, recipients, excluding);
    }

    @Override
    public CompletionStage<Void> dispatchAsync(Message message, Collection<String> recipients, Collection<String> excluding) {
        Objects.requireNonNull(recipients, "recipients");
        Set<String> excluded = copy(excluding == null ? Set.of() : excluding, "excluding");
        if (recipients.contains(EVERYONE)) {
            return publish(message, Audience.AUTHENTICATED, Set.of(), excluded);
        }
        Set<String> users = copy(recipients, "recipients");
        users.removeAll(excluded);
        return users.isEmpty() ? CompletableFuture.completedFuture(null) : publish(message, Audience.USERS, users, Set.of());
    }

    private CompletionStage<Void> publish(Message message, Audience audience, Set<String> users, Set<String> excluding) {
        Objects.requireNonNull(message, "message");
        String frame = message.opcode() == Message.INTERNAL ? "" : codec.encode(message, 0);
        Envelope envelope = new Envelope(message, frame, audience, users, excluding);
        // Here first: local recipients never wait on the network, and still get it while Redis is away.
        LocalDelivery.Pending pending = delivery.deliver(envelope);
        return broker.publish(envelope, pending.away(), pending.toLog());
    }

    private static Set<String> copy(Collection<String> ids, String what) {
        Set<String> set = new LinkedHashSet<>();
        for (String id : ids) {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException(what + " contains a null or blank user id");
            }
            set.add(id);
        }
        return set;
    }

    @Override
    public int connectionCount() {
        return registry.size();
    }
}
