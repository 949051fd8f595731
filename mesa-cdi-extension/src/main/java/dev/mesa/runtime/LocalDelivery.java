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
     * Delivers an envelope sent on this instance.
     *
     * @return the recipients that have no connection here, when sync needs the broker to decide about them
     */
    Set<String> deliver(Envelope e) {
        Set<String> away = new HashSet<>();
        deliver(e, away);
        return away;
    }

    /** Delivers an envelope another instance published: to the connections here, storing nothing. */
    void deliverFromOtherInstance(Envelope e) {
        deliver(e, null);
    }

    private void deliver(Envelope e, Set<String> away) {
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
                    if (away == null) {
                        for (ConnectionImpl c : registry.connectionsOf(user)) {
                            count += c.deliver(e);
                        }
                    } else {
                        count += sync.deliverOrStore(user, e, storedFor, away);
                    }
                }
            }
        }
        if (count > 0 && events.wanted(MessageSent.class)) {
            events.fire(new MessageSent(e.message(), count));
        }
        if (!storedFor.isEmpty() && events.wanted(UndeliverableMessage.class)) {
            events.fire(new UndeliverableMessage(e.message(), List.copyOf(storedFor)));
        }
    }
}
