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
    // Immutable sets, replaced on change: a user has one or a few connections, which Set.of holds in a
    // few bytes and iterates without the table walk of a concurrent set; changes are rare next to reads.
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
            if (set == null) {
                return Set.of(c);
            }
            if (set.contains(c)) {
                return set;
            }
            ConnectionImpl[] more = set.toArray(new ConnectionImpl[set.size() + 1]);
            more[set.size()] = c;
            return Set.of(more);
        });
    }

    private void unbind(ConnectionImpl c, String user) {
        byUser.computeIfPresent(user, (k, set) -> {
            if (!set.contains(c)) {
                return set;
            }
            return set.size() == 1 ? null : Set.of(set.stream().filter(x -> x != c).toArray(ConnectionImpl[]::new));
        });
    }

    /** @return the user's connections on this instance, as of the call; empty when none. */
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
