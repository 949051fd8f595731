package dev.mesa.runtime.redis;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * The one thread that talks to Redis for an instance (the subscriber has its
 * own): callers queue work and return at once, so no container thread ever
 * waits on Redis. While Redis is unreachable, work is dropped quickly (one try
 * a second) instead of piling up behind connection timeouts; both the outage
 * and the recovery are logged once.
 */
final class RedisWorker {

    /** Work to do with the client. */
    interface Op {
        void run(UnifiedJedis redis);
    }

    private static final Logger LOG = Logger.getLogger("dev.mesa");
    private static final long RETRY_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final UnifiedJedis redis;
    private final ThreadPoolExecutor executor;
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean available = true;
    private long lastFailure;
    private volatile Op onRecovered = r -> { };

    RedisWorker(UnifiedJedis redis, int queueSize) {
        this.redis = redis;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueSize), r -> {
            Thread t = new Thread(r, "mesa-redis");
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs after an outage, on this thread, before the next work; for putting shared state right again. */
    void onRecovered(Op op) {
        this.onRecovered = op;
    }

    void submit(String what, Op op) {
        submit(what, () -> { }, op);
    }

    /**
     * Queues work whose {@code local} part always runs, in queue order, even when the Redis part is
     * dropped: state kept for Redis stays right through an outage and is written back afterwards.
     */
    void submit(String what, Runnable local, Op op) {
        submit(what, local, op, () -> { });
    }

    /** As {@link #submit(String, Runnable, Op)}, with {@code onDropped} run (on this thread) when the Redis part is not done. */
    void submit(String what, Runnable local, Op op, Runnable onDropped) {
        try {
            executor.execute(() -> {
                local.run();
                if (!run(what, op)) {
                    onDropped.run();
                }
            });
        } catch (RejectedExecutionException e) {
            if (dropped.getAndIncrement() % 10_000 == 0) {
                LOG.warning("Mesa's Redis queue is full or stopped; dropped work (" + what + "), " + dropped.get() + " so far");
            }
            // Whoever waits on this work must hear that it will not happen (on the caller's thread: it is quick).
            onDropped.run();
        }
    }

    /** @return whether the work was done */
    private boolean run(String what, Op op) {
        if (!available && System.nanoTime() - lastFailure < RETRY_NANOS) {
            dropped.incrementAndGet();
            return false;
        }
        try {
            if (!available) {
                // Probe with the recovery itself: what was dropped meanwhile is re-stated from local state.
                onRecovered.run(redis);
                available = true;
                LOG.info("Mesa reaches Redis again; " + dropped.getAndSet(0)
                        + " Redis operation(s) were dropped while it was away, shared state is restored");
            }
            op.run(redis);
            return true;
        } catch (JedisConnectionException e) {
            lastFailure = System.nanoTime();
            dropped.incrementAndGet();
            if (available) {
                available = false;
                LOG.warning("Mesa cannot reach Redis (" + e.getMessage() + "): this instance keeps serving its own "
                        + "connections; messages to other instances and shared state wait until Redis is back");
            }
            return false;
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Mesa could not " + what + " in Redis", e);
            return false;
        }
    }

    /** Runs what is queued (up to the timeout), then stops the thread. */
    void stop(long timeoutMillis) {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
