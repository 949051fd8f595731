package dev.mesa.runtime;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * Every synced message addressed to a user, numbered 1, 2, 3… per user, kept
 * until the user acknowledges it or retention (count and age) drops it: what
 * the resume extension replays. Whether the user is connected plays no part.
 *
 * <p>This is the single-instance log: it lives in memory, so a restart starts a
 * new epoch and resuming clients are told to resynchronise. Callers hold the
 * user's lock ({@link SyncService}), which orders appends and reads per user.
 */
final class UserLog {

    /** One logged message: its sequence, its frame without {@code s}, and when it was logged. */
    private record Entry(long seq, String frame, long atNanos) {
    }

    private static final class Log {
        long head;
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
    }

    private final String epoch = UUID.randomUUID().toString();
    private final Map<String, Log> logs = new HashMap<>();
    private final int maxEntries;
    private final long maxAgeNanos;
    private final LongSupplier clock;

    UserLog(int maxEntries, Duration maxAge, LongSupplier clock) {
        this.maxEntries = maxEntries;
        this.maxAgeNanos = maxAge.toNanos();
        this.clock = clock;
    }

    String epoch() {
        return epoch;
    }

    /** @return the message's sequence for this user */
    synchronized long append(String user, String frame) {
        Log log = logs.computeIfAbsent(user, k -> new Log());
        long seq = ++log.head;
        log.entries.addLast(new Entry(seq, frame, clock.getAsLong()));
        trim(log);
        return seq;
    }

    /** @return the replay for a client at {@code (clientEpoch, after)} */
    synchronized Replay read(String user, String clientEpoch, long after) {
        Log log = logs.get(user);
        long head = log == null ? 0 : log.head;
        if (log != null) {
            trim(log);
        }
        long first = log == null || log.entries.isEmpty() ? head + 1 : log.entries.peekFirst().seq();
        // Position 0 ("nothing processed yet") is valid in any epoch, so long as nothing has been dropped.
        if (!(epoch.equals(clientEpoch) || after == 0) || after > head || after < first - 1) {
            return new Replay(epoch, head, true, List.of());
        }
        List<Replay.Entry> out = new ArrayList<>();
        if (log != null) {
            for (Entry e : log.entries) {
                if (e.seq() > after) {
                    out.add(new Replay.Entry(e.seq(), e.frame()));
                }
            }
        }
        return new Replay(epoch, after, false, out);
    }

    /** Drops what the user acknowledged: everything up to {@code seq}. */
    synchronized void acknowledge(String user, long seq) {
        Log log = logs.get(user);
        if (log == null) {
            return;
        }
        while (!log.entries.isEmpty() && log.entries.peekFirst().seq() <= seq) {
            log.entries.removeFirst();
        }
    }

    private void trim(Log log) {
        long oldest = clock.getAsLong() - maxAgeNanos;
        while (!log.entries.isEmpty()
                && (log.entries.size() > maxEntries || log.entries.peekFirst().atNanos() - oldest < 0)) {
            log.entries.removeFirst();
        }
    }
}
