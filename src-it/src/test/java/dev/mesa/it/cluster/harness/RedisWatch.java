package dev.mesa.it.cluster.harness;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Watches one Redis pub/sub channel from the test, the way a Node Mesa server does: records every
 * publication (the raw JSON text) so that a test can check what our instances publish, and when.
 */
public final class RedisWatch implements AutoCloseable {

    private final Resp resp;
    private final String channel;
    private final List<String> messages = new ArrayList<>();
    private final Thread reader;
    private volatile boolean closed;

    /** Subscribes (the subscription is active when this returns). */
    public RedisWatch(RedisServer redis, String channel) {
        this.channel = channel;
        this.resp = redis.client();
        Object ack = resp.call("SUBSCRIBE", channel);
        if (!(ack instanceof List<?> l) || !"subscribe".equals(l.get(0))) {
            resp.close();
            throw new IllegalStateException("SUBSCRIBE " + channel + " answered " + ack);
        }
        resp.timeout(200);
        reader = new Thread(this::read, "redis-watch-" + channel);
        reader.setDaemon(true);
        reader.start();
    }

    private void read() {
        while (!closed) {
            Object push;
            try {
                push = resp.readPush();
            } catch (RuntimeException e) {
                return; // closed
            }
            if (push instanceof List<?> l && l.size() == 3 && "message".equals(l.get(0))) {
                synchronized (this) {
                    messages.add((String) l.get(2));
                    notifyAll();
                }
            }
        }
    }

    /** Every publication seen so far. */
    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    /** Waits for a publication matching {@code p}, bounded. */
    public synchronized String await(String what, Predicate<String> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int seen = 0;
        while (true) {
            for (; seen < messages.size(); seen++) {
                if (p.test(messages.get(seen))) {
                    return messages.get(seen);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no publication on " + channel + " matching " + what + " within " + timeout.toMillis()
                        + " ms; seen " + messages);
            }
            try {
                wait(Math.max(1, left / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        resp.close();
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
