package dev.mesa.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.mesa.Message;
import dev.mesa.event.MessagesRedelivered;

/**
 * Message sync: keeps synced messages for users who are away and redelivers
 * them, numbered {@code s} = 1..N, when the user authenticates with
 * {@code shouldSync}.
 *
 * <p>"Is the user connected?" and "store it" happen under one per-user lock, and
 * so do "bind the new connection" and "take what was stored": a message is
 * either delivered live or stored and then redelivered, never lost between the two.
 */
@Singleton
class SyncService {

    private static final Logger LOG = Logger.getLogger("dev.mesa");
    private static final int STRIPES = 64;

    @Inject
    ConnectionRegistry registry;
    @Inject
    Codec codec;
    @Inject
    Timer timer;
    @Inject
    EventSink events;

    private final Object[] locks = new Object[STRIPES];
    private final SyncStore store = new InMemorySyncStore();
    private volatile AppSettings app = new AppSettings("", false, 1, true);

    SyncService() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    void configure(AppSettings settings) {
        this.app = settings;
    }

    private Object lock(String user) {
        return locks[(user.hashCode() & 0x7fffffff) % STRIPES];
    }

    /** @return how many connections the envelope was queued on; adds the user to {@code storedFor} when stored */
    int deliverOrStore(String user, Envelope e, List<String> storedFor) {
        AppSettings s = app;
        if (!s.syncEnabled()) {
            return sendTo(registry.connectionsOf(user), e);
        }
        synchronized (lock(user)) {
            Set<ConnectionImpl> connections = registry.connectionsOf(user);
            if (!connections.isEmpty()) {
                return sendTo(connections, e);
            }
            Message m = e.message();
            if (m.sync() && m.opcode() == Message.DISPATCH) {
                int dropped = store.append(user, m, s.syncMaxMessages());
                if (dropped > 0) {
                    LOG.warning(() -> "Mesa dropped the oldest " + dropped + " stored message(s) of a user who is away: "
                            + "mesa.sync.max-messages (" + s.syncMaxMessages() + ") reached");
                }
                storedFor.add(user);
            }
            return 0;
        }
    }

    private static int sendTo(Set<ConnectionImpl> connections, Envelope e) {
        int n = 0;
        for (ConnectionImpl c : connections) {
            n += c.deliver(e);
        }
        return n;
    }

    /**
     * Binds an authenticated connection to its user and, with sync on, hands it
     * what was stored (or discards it when the client asked for no sync).
     */
    void authenticated(ConnectionImpl c, String previous, String user, boolean shouldSync, Duration interval) {
        if (!app.syncEnabled()) {
            registry.bind(c, previous, user);
            return;
        }
        List<Message> pending;
        synchronized (lock(user)) {
            registry.bind(c, previous, user);
            if (!shouldSync) {
                store.discard(user);
                return;
            }
            pending = store.drain(user);
            if (pending.isEmpty()) {
                return;
            }
            if (interval.isZero()) {
                // Queued under the lock, so live messages for this user can only come after them.
                for (int i = 0; i < pending.size(); i++) {
                    c.sendFrame(codec.encode(pending.get(i), i + 1));
                }
            }
        }
        if (events.wanted(MessagesRedelivered.class)) {
            events.fire(new MessagesRedelivered(c, List.copyOf(pending)));
        }
        if (!interval.isZero()) {
            redeliverPaced(c, user, pending, 0, interval.toMillis());
        }
    }

    private void redeliverPaced(ConnectionImpl c, String user, List<Message> pending, int index, long intervalMillis) {
        timer.after(index == 0 ? 0 : intervalMillis, () -> {
            if (!c.isOpen()) {
                // Cut short: what was not sent waits for the next authentication.
                synchronized (lock(user)) {
                    store.prepend(user, pending.subList(index, pending.size()));
                }
                return;
            }
            c.sendFrame(codec.encode(pending.get(index), index + 1));
            if (index + 1 < pending.size()) {
                redeliverPaced(c, user, pending, index + 1, intervalMillis);
            }
        });
    }
}
