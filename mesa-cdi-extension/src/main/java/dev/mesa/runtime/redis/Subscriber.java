package dev.mesa.runtime.redis;

import java.util.function.BiConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.UnifiedJedis;

/**
 * The instance's one subscription (to Mesa's channel, and ours for messages logged on
 * behalf of Node Mesa), kept alive: when Redis
 * goes away it retries with a growing pause (100 ms up to 5 s) and resubscribes
 * by itself. Pub/sub keeps nothing for an absent subscriber, so what was
 * published meanwhile is not received; the outage and the recovery are logged.
 */
final class Subscriber {

    private static final Logger LOG = Logger.getLogger("dev.mesa");
    private static final long FIRST_PAUSE_MILLIS = 100;
    private static final long MAX_PAUSE_MILLIS = 5_000;

    private final UnifiedJedis redis;
    private final String[] channels;
    private final BiConsumer<String, String> handler;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile JedisPubSub current;
    private volatile boolean subscribed;
    private boolean lost;

    /** @param handler gets the channel and the payload of each publication, on the subscriber thread */
    Subscriber(UnifiedJedis redis, BiConsumer<String, String> handler, String... channels) {
        this.redis = redis;
        this.channels = channels.clone();
        this.handler = handler;
        this.thread = new Thread(this::loop, "mesa-redis-subscriber");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    boolean subscribed() {
        return subscribed;
    }

    private void loop() {
        long pause = FIRST_PAUSE_MILLIS;
        while (running) {
            JedisPubSub pubSub = new JedisPubSub() {
                @Override
                public void onSubscribe(String ch, int count) {
                    subscribed = count == channels.length;
                    if (lost && subscribed) {
                        lost = false;
                        LOG.info("Mesa is subscribed to Redis channel " + ch + " again; messages from other instances flow");
                    }
                }

                @Override
                public void onMessage(String ch, String message) {
                    try {
                        handler.accept(ch, message);
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "Mesa ignored a publication on " + ch + " it cannot handle", e);
                    }
                }
            };
            current = pubSub;
            try {
                redis.subscribe(pubSub, channels);
                pause = FIRST_PAUSE_MILLIS;
            } catch (RuntimeException e) {
                if (!running) {
                    break;
                }
                if (subscribed || !lost) {
                    LOG.warning("Mesa lost its Redis subscription to " + String.join(", ", channels) + " (" + e.getMessage()
                            + "); retrying, messages from other instances are not received meanwhile");
                }
                lost = true;
                if (subscribed) {
                    pause = FIRST_PAUSE_MILLIS;
                }
            } finally {
                subscribed = false;
            }
            if (!running) {
                break;
            }
            try {
                Thread.sleep(pause);
            } catch (InterruptedException e) {
                break;
            }
            pause = Math.min(MAX_PAUSE_MILLIS, pause * 2);
        }
    }

    void stop() {
        running = false;
        JedisPubSub pubSub = current;
        try {
            if (pubSub != null && pubSub.isSubscribed()) {
                pubSub.unsubscribe();
            }
        } catch (RuntimeException e) {
            // The connection is gone already.
        }
        try {
            // Let it read every unsubscribe reply (one per channel): an interrupted read could leave one on
            // the connection for whoever borrows it next. Interrupted only if it is pausing between attempts.
            thread.join(1_000);
            if (thread.isAlive()) {
                thread.interrupt();
                thread.join(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
