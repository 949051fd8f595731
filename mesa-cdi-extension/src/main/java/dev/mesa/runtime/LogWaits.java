package dev.mesa.runtime;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Messages Node Mesa published to a user who has resuming connections here, waiting for the
 * instance that logs them to publish them again numbered. Each waits a bounded time: if no
 * numbered copy comes (the logging instance died and the lease has not moved yet, or Redis
 * failed between the two), the resuming connections get the original unnumbered rather than
 * nothing. Per user the waits are in publication order, which every instance sees alike, so
 * the first wait with the same frame is the one a numbered copy answers.
 *
 * <p>Not thread-safe per user: callers hold the user's lock ({@link SyncService}).
 */
final class LogWaits {

    /** How long a message waits for its numbered copy: far above a Redis round trip, well below a lease hand-over. */
    static final long WAIT_MILLIS = 5_000;

    private record Waiting(Envelope envelope, long deadline) {
    }

    private final Map<String, ArrayDeque<Waiting>> byUser = new ConcurrentHashMap<>();

    /** {@code e} waits for its numbered copy for {@code user} until {@code now + WAIT_MILLIS}. */
    void add(String user, Envelope e, long nowMillis) {
        byUser.computeIfAbsent(user, u -> new ArrayDeque<>()).add(new Waiting(e, nowMillis + WAIT_MILLIS));
    }

    /** The numbered copy of {@code frame} for {@code user} arrived: its wait ends. */
    void answered(String user, String frame) {
        ArrayDeque<Waiting> waits = byUser.get(user);
        if (waits == null) {
            return;
        }
        for (Iterator<Waiting> it = waits.iterator(); it.hasNext(); ) {
            if (it.next().envelope().frame().equals(frame)) {
                it.remove();
                break;
            }
        }
        if (waits.isEmpty()) {
            byUser.remove(user);
        }
    }

    /** Hands every wait of {@code user} that is over to {@code expired}, oldest first. */
    void expire(String user, long nowMillis, Consumer<Envelope> expired) {
        ArrayDeque<Waiting> waits = byUser.get(user);
        if (waits == null) {
            return;
        }
        while (!waits.isEmpty() && waits.peekFirst().deadline() <= nowMillis) {
            expired.accept(waits.pollFirst().envelope());
        }
        if (waits.isEmpty()) {
            byUser.remove(user);
        }
    }
}
