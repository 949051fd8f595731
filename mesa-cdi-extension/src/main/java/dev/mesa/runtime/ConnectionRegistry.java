package dev.mesa.runtime;

import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Singleton;

/**
 * Every open connection of this instance, and the authenticated ones by user
 * id, so that a message to a user is a map lookup, never a scan.
 */
@Singleton
class ConnectionRegistry {

    private final ConcurrentHashMap<String, ConnectionImpl> all = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Set<ConnectionImpl>> byUser = new ConcurrentHashMap<>();

    void add(ConnectionImpl c) {
        all.put(c.connectionId(), c);
    }

    void remove(ConnectionImpl c) {
        all.remove(c.connectionId());
        c.userId().ifPresent(u -> unbind(c, u));
    }

    /** Moves a connection from its previous user id (or none) to {@code user}. */
    void bind(ConnectionImpl c, String previous, String user) {
        if (previous != null && !previous.equals(user)) {
            unbind(c, previous);
        }
        byUser.compute(user, (k, set) -> {
            Set<ConnectionImpl> s = set != null ? set : ConcurrentHashMap.newKeySet();
            s.add(c);
            return s;
        });
    }

    private void unbind(ConnectionImpl c, String user) {
        byUser.computeIfPresent(user, (k, set) -> {
            set.remove(c);
            return set.isEmpty() ? null : set;
        });
    }

    /** @return the user's connections on this instance; empty when none. Weakly consistent. */
    Set<ConnectionImpl> connectionsOf(String user) {
        Set<ConnectionImpl> s = byUser.get(user);
        return s == null ? Set.of() : s;
    }

    Collection<ConnectionImpl> all() {
        return all.values();
    }

    int size() {
        return all.size();
    }
}
