package dev.mesa.websocket;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.mesa.CloseCodes;

/**
 * The threads that write to and close every connection of the application (see {@link Outbox}), and the
 * watchdog that closes a connection whose write outlasts its send timeout.
 *
 * <p>Writer threads only ever block on a client that stopped reading; there are enough of them that a
 * few such clients leave the rest flowing while their queues overflow or the watchdog closes them. Idle
 * threads time out, so an idle application holds none.
 */
final class Writers {

    /** Clients that may stall at once, each holding one writer thread, before the others wait. */
    static final int WRITER_THREADS = 16;
    private static final int CLOSER_THREADS = 4;
    private static final long WATCHDOG_PERIOD_MILLIS = 1_000;

    static final Executor WRITE = pool("mesa-writer-", WRITER_THREADS);
    static final Executor CLOSE = pool("mesa-closer-", CLOSER_THREADS);

    /** Outboxes of open connections with their send timeout, for the watchdog. */
    private static final ConcurrentHashMap<Outbox, Long> WATCHED = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(daemon("mesa-send-watchdog-"));

    static {
        WATCHDOG.scheduleWithFixedDelay(Writers::check, WATCHDOG_PERIOD_MILLIS, WATCHDOG_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
    }

    private Writers() {
    }

    /** Watches {@code outbox}'s writes: one that takes longer than {@code sendTimeoutMillis} closes it with 4001. */
    static void watch(Outbox outbox, long sendTimeoutMillis) {
        if (sendTimeoutMillis > 0) {
            WATCHED.put(outbox, TimeUnit.MILLISECONDS.toNanos(sendTimeoutMillis));
        }
    }

    static void unwatch(Outbox outbox) {
        WATCHED.remove(outbox);
    }

    /**
     * Stops the watchdog when the application stops, so that it does not outlive it (nor keep its class
     * loader). The writer and closer threads stay for the engine's own shutdown (it closes every connection
     * through them, without waiting) and end by themselves once idle for 30 s.
     */
    static void stop() {
        WATCHDOG.shutdownNow();
        WATCHED.clear();
    }

    /** @return the outboxes watched now (for tests) */
    static Set<Outbox> watched() {
        return Set.copyOf(WATCHED.keySet());
    }

    private static void check() {
        long now = System.nanoTime();
        WATCHED.forEach((outbox, limit) -> {
            if (outbox.writingLongerThan(limit, now)) {
                WATCHED.remove(outbox);
                outbox.abort(CloseCodes.SLOW_CONSUMER, "Send timeout");
            }
        });
    }

    private static ThreadPoolExecutor pool(String prefix, int threads) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemon(prefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
