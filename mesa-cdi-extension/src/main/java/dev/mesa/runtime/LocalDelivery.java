package dev.mesa.runtime;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.mesa.event.MessageSent;
import dev.mesa.event.UndeliverableMessage;

/** Hands an envelope to the recipient connections of this instance. */
@Singleton
class LocalDelivery {

    @Inject
    ConnectionRegistry registry;
    @Inject
    SyncService sync;
    @Inject
    EventSink events;

    /**
     * What the broker must still do for an envelope sent here.
     *
     * @param away  recipients with no connection here, when sync needs the broker to decide about them
     * @param toLog recipients whose shared log must number the message first
     */
    record Pending(Set<String> away, Set<String> toLog) {
    }

    /** Delivers an envelope sent on this instance. */
    Pending deliver(Envelope e) {
        Pending pending = new Pending(new HashSet<>(), new HashSet<>());
        deliver(e, pending);
        return pending;
    }

    /** Delivers an envelope another instance published: to the connections here, storing nothing. */
    void deliverFromOtherInstance(Envelope e) {
        deliver(e, null);
    }

    /** Delivers this instance's own envelope, now numbered by the shared log, to its resuming connections. */
    void deliverNumberedHere(Envelope e) {
        sync.deliverNumbered(e, false);
    }

    private void deliver(Envelope e, Pending pending) {
        int count = 0;
        List<String> storedFor = new ArrayList<>(0);
        switch (e.audience()) {
            case CONNECTIONS -> {
                // A true broadcast: the one path that visits every connection.
                for (ConnectionImpl c : registry.all()) {
                    if (c.isAuthenticated() || !c.requiresAuthentication()) {
                        count += c.deliver(e);
                    }
                }
            }
            case AUTHENTICATED -> {
                for (ConnectionImpl c : registry.all()) {
                    String user = c.userIdOrNull();
                    if (user != null && !e.excluding().contains(user)) {
                        count += c.deliver(e);
                    }
                }
            }
            case USERS -> {
                for (String user : e.users()) {
                    if (e.excluding().contains(user)) {
                        continue;
                    }
                    if (pending != null) {
                        count += sync.deliverOrStore(user, e, storedFor, pending.away(), pending.toLog());
                    } else if (e.awaitingLog()) {
                        count += sync.deliverAwaitingLog(user, e);
                    } else if (!e.sequences().containsKey(user)) {
                        for (ConnectionImpl c : registry.connectionsOf(user)) {
                            count += c.deliver(e);
                        }
                    }
                }
            }
        }
        if (pending == null && !e.sequences().isEmpty()) {
            count += sync.deliverNumbered(e, true);
        }
        if (count > 0 && events.wanted(MessageSent.class)) {
            events.fire(new MessageSent(e.message(), count));
        }
        if (!storedFor.isEmpty() && events.wanted(UndeliverableMessage.class)) {
            events.fire(new UndeliverableMessage(e.message(), List.copyOf(storedFor)));
        }
    }
}
