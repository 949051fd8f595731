package dev.mesa.runtime.redis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Logger;

import redis.clients.jedis.UnifiedJedis;

import dev.mesa.Message;
import dev.mesa.runtime.Broker;
import dev.mesa.runtime.Envelope;
import dev.mesa.runtime.RedisSettings;
import dev.mesa.runtime.SyncStore;

/**
 * The broker of an application that runs as several instances sharing a Redis,
 * on Mesa 1.x's channel and keys so that Node Mesa servers and Dispatchers can
 * share it: publishes what this instance sends, delivers what the others
 * publish, keeps {@code connected_clients} and {@code connected_clients_count}
 * right, and stores synced messages for users no instance holds in Mesa's
 * {@code undelivered_messages}.
 */
public final class RedisBroker implements Broker {

    private static final Logger LOG = Logger.getLogger("dev.mesa");
    private static final int QUEUE_SIZE = 100_000;

    private final String instance = "mesa-" + UUID.randomUUID();
    private final RedisSettings settings;
    private final String namespace;
    private final RedisKeys keys;
    private final boolean syncEnabled;
    private final BiConsumer<Message, List<String>> onStored;
    private final UnifiedJedis redis;
    private final RedisWorker worker;
    private final RedisSyncStore store;
    private final AtomicInteger connectionsHere = new AtomicInteger();
    private final Map<String, Integer> usersHere = new ConcurrentHashMap<>();
    private volatile Subscriber subscriber;
    private volatile boolean stopped;

    /**
     * @param settings    where Redis is
     * @param namespace   Mesa's namespace, or empty
     * @param syncEnabled whether synced messages for users no instance holds are stored
     * @param onStored    told, on the Redis thread, which users a message was stored for
     */
    public RedisBroker(RedisSettings settings, String namespace, boolean syncEnabled,
                       BiConsumer<Message, List<String>> onStored) {
        this.settings = settings;
        this.namespace = namespace;
        this.keys = RedisKeys.of(namespace);
        this.syncEnabled = syncEnabled;
        this.onStored = onStored;
        this.redis = RedisClients.create(settings);
        this.worker = new RedisWorker(redis, QUEUE_SIZE);
        this.store = new RedisSyncStore(worker, keys.undeliveredMessages());
    }

    @Override
    public void start(Consumer<Envelope> fromOtherInstances) {
        Subscriber s = new Subscriber(redis, keys.channel(), payload -> {
            Envelope e = Wire.decode(payload, instance);
            if (e != null) {
                fromOtherInstances.accept(e);
            }
        });
        subscriber = s;
        s.start();
        LOG.info(() -> "Mesa replicates through " + settings + " on channel " + keys.channel()
                + (namespace.isEmpty() ? "" : " (namespace " + namespace + ")") + " as " + instance);
    }

    @Override
    public void publish(Envelope envelope, Set<String> away) {
        if (stopped) {
            return;
        }
        String payload = Publication.encode(envelope, instance);
        worker.submit("publish a message", r -> {
            r.publish(keys.channel(), payload);
            storeForAway(r, envelope, away);
        });
    }

    /** Stores for the recipients no instance holds: connected_clients is the one record every Mesa keeps. */
    private void storeForAway(UnifiedJedis r, Envelope e, Set<String> away) {
        Message m = e.message();
        if (!syncEnabled || away.isEmpty() || !m.sync() || m.opcode() != Message.DISPATCH) {
            return;
        }
        List<String> stored = new ArrayList<>();
        for (String user : away) {
            if (!r.sismember(keys.connectedClients(), user)) {
                store.appendNow(r, user, e.frame());
                stored.add(user);
            }
        }
        if (!stored.isEmpty()) {
            onStored.accept(m, stored);
        }
    }

    @Override
    public boolean replicated() {
        return true;
    }

    @Override
    public void connectionOpened() {
        connectionsHere.incrementAndGet();
        if (!stopped) {
            worker.submit("count a connection", r -> r.incr(keys.connectedClientsCount()));
        }
    }

    @Override
    public void connectionClosed() {
        if (connectionsHere.getAndUpdate(n -> Math.max(0, n - 1)) > 0 && !stopped) {
            worker.submit("count a disconnection", r -> r.decr(keys.connectedClientsCount()));
        }
    }

    @Override
    public void userBound(String user) {
        usersHere.merge(user, 1, Integer::sum);
        if (!stopped) {
            worker.submit("mark a user connected",
                    r -> r.eval(Scripts.USER_BOUND, List.of(keys.connectionsPerUser(), keys.connectedClients()), List.of(user)));
        }
    }

    @Override
    public void userUnbound(String user) {
        boolean[] wasHere = {false};
        usersHere.computeIfPresent(user, (k, n) -> {
            wasHere[0] = true;
            return n > 1 ? n - 1 : null;
        });
        if (wasHere[0] && !stopped) {
            worker.submit("mark a user disconnected",
                    r -> r.eval(Scripts.USER_UNBOUND, List.of(keys.connectionsPerUser(), keys.connectedClients()), List.of(user)));
        }
    }

    @Override
    public SyncStore syncStore() {
        return store;
    }

    /** @return whether the subscription to the channel is up; for health checks */
    public boolean subscribed() {
        Subscriber s = subscriber;
        return s != null && s.subscribed();
    }

    /**
     * Withdraws what this instance still counts (connections whose close the container has not reported
     * yet), so that a clean shutdown leaves connected_clients and the count right for everyone else.
     */
    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        Subscriber s = subscriber;
        if (s != null) {
            s.stop();
        }
        int connections = connectionsHere.getAndSet(0);
        if (connections > 0) {
            worker.submit("withdraw this instance's connections", r -> r.decrBy(keys.connectedClientsCount(), connections));
        }
        usersHere.forEach((user, n) -> worker.submit("withdraw a user", r -> {
            for (int i = 0; i < n; i++) {
                r.eval(Scripts.USER_UNBOUND, List.of(keys.connectionsPerUser(), keys.connectedClients()), List.of(user));
            }
        }));
        usersHere.clear();
        worker.stop(3_000);
        redis.close();
    }
}
