package dev.mesa.runtime.redis;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.logging.Logger;

import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.SetParams;

import dev.mesa.Message;
import dev.mesa.runtime.Broker;
import dev.mesa.runtime.Envelope;
import dev.mesa.runtime.RedisSettings;
import dev.mesa.runtime.Replay;
import dev.mesa.runtime.SyncStore;

/**
 * The broker of an application that runs as several instances sharing a Redis,
 * on Mesa 1.x's channel and keys so that Node Mesa servers and Dispatchers can
 * share it: publishes what this instance sends, delivers what the others
 * publish, keeps {@code connected_clients} and {@code connected_clients_count}
 * right, and stores synced messages for users no instance holds in Mesa's
 * {@code undelivered_messages}.
 *
 * <p>Presence survives crashes: each instance records its own contributions and
 * keeps an alive key that expires unless refreshed every third of
 * {@code mesa.redis.presence-ttl}; any instance withdraws what an instance whose
 * key expired had added. An instance that finds its own record gone (Redis lost
 * its data, or it was presumed dead) or that was cut off from Redis writes its
 * record afresh from what it holds.
 *
 * <p>Node Mesa publishes without logging. With the resume extension on, one
 * instance (the holder of a lease renewed with presence) logs each synced
 * message Node Mesa publishes to users and publishes it again, numbered, on a
 * channel of ours; every instance's resuming connections take that copy (or,
 * when none comes, the unnumbered original: see {@code LogWaits}).
 */
public final class RedisBroker implements Broker {

    private static final Logger LOG = Logger.getLogger("dev.mesa");
    private static final int QUEUE_SIZE = 100_000;

    private final String instance = "mesa-" + UUID.randomUUID();
    private final RedisSettings settings;
    private final String namespace;
    private final RedisKeys keys;
    private final boolean syncEnabled;
    private final boolean logForeign;
    // Whether this instance holds the logger lease; read on the subscriber thread, set on the Redis thread.
    private volatile boolean logger;
    private final BiConsumer<Message, List<String>> onStored;
    private final int logMaxEntries;
    private final long logRetentionMillis;
    private volatile Consumer<Envelope> numberedHere = e -> { };
    private final UnifiedJedis redis;
    private final RedisWorker worker;
    private final RedisSyncStore store;
    private final long presenceTtlMillis;
    private final ScheduledExecutorService presenceTimer;
    // Confined to the Redis thread, so a record written afresh matches exactly the updates applied before it.
    private int connectionsHere;
    private final Map<String, Integer> usersHere = new HashMap<>();
    private volatile Subscriber subscriber;
    private volatile boolean stopped;

    /**
     * @param settings    where Redis is
     * @param namespace   Mesa's namespace, or empty
     * @param syncEnabled whether synced messages for users no instance holds are stored
     * @param resume      whether the resume extension is on: then Node Mesa's publications are logged too
     * @param onStored    told, on the Redis thread, which users a message was stored for
     * @param logMaxEntries      most entries a user's resume log keeps
     * @param logRetention       how long a user's resume log keeps an entry
     */
    public RedisBroker(RedisSettings settings, String namespace, boolean syncEnabled, boolean resume,
                       BiConsumer<Message, List<String>> onStored, int logMaxEntries, java.time.Duration logRetention) {
        this.settings = settings;
        this.namespace = namespace;
        this.keys = RedisKeys.of(namespace);
        this.syncEnabled = syncEnabled;
        this.logForeign = syncEnabled && resume;
        this.onStored = onStored;
        this.logMaxEntries = logMaxEntries;
        this.logRetentionMillis = logRetention.toMillis();
        this.redis = RedisClients.create(settings);
        this.worker = new RedisWorker(redis, QUEUE_SIZE);
        this.store = new RedisSyncStore(worker, keys.undeliveredMessages());
        this.presenceTtlMillis = settings.presenceTtl().toMillis();
        this.presenceTimer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "mesa-redis-presence");
            t.setDaemon(true);
            return t;
        });
        worker.onRecovered(this::register);
    }

    @Override
    public void start(Consumer<Envelope> fromOtherInstances, Consumer<Envelope> numberedHere) {
        this.numberedHere = numberedHere;
        String self = Publication.originPrefix(instance);
        Subscriber s = new Subscriber(redis, (channel, payload) -> {
            if (channel.equals(keys.logged())) {
                Envelope e = Wire.decode(payload, self, instance, false);
                if (e != null && !e.sequences().isEmpty()) {
                    numberedHere.accept(e);
                }
                return;
            }
            Envelope e = Wire.decode(payload, self, instance, logForeign);
            if (e == null) {
                return;
            }
            fromOtherInstances.accept(e);
            if (e.awaitingLog() && logger) {
                worker.submit("log a message Node Mesa published", r -> logForeign(r, e));
            }
        }, keys.channel(), keys.logged());
        subscriber = s;
        s.start();
        worker.submit("register this instance", this::register);
        long period = Math.max(100, presenceTtlMillis / 3);
        presenceTimer.scheduleAtFixedRate(() -> worker.submit("refresh presence", this::refreshAndSweep),
                period, period, TimeUnit.MILLISECONDS);
        LOG.info(() -> "Mesa replicates through " + settings + " on channel " + keys.channel()
                + (namespace.isEmpty() ? "" : " (namespace " + namespace + ")") + " as " + instance);
    }

    @Override
    public CompletionStage<Void> publish(Envelope envelope, Set<String> away, Set<String> toLog) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (stopped) {
            done.completeExceptionally(new IllegalStateException("Mesa is stopping"));
            return done;
        }
        String plain = toLog.isEmpty() ? Publication.encode(envelope, instance) : null;
        worker.submit("publish a message", () -> { }, r -> {
            // Logged before anyone gets it, so every copy, live or replayed, carries the same s.
            Envelope e = toLog.isEmpty() ? envelope : envelope.numbered(append(r, envelope.frame(), toLog));
            Set<String> stored = storeForAway(r, e, away);
            if (stored.isEmpty()) {
                r.publish(keys.channel(), plain != null ? plain : Publication.encode(e, instance));
            } else {
                // Stored users are left out: a publication still in flight when they log in would arrive twice.
                Set<String> rest = new LinkedHashSet<>(e.users());
                rest.removeAll(stored);
                if (!rest.isEmpty()) {
                    r.publish(keys.channel(), Publication.encode(new Envelope(e.message(), e.frame(), e.audience(), rest,
                            e.excluding(), e.sequences()), instance));
                }
            }
            if (!e.sequences().isEmpty()) {
                numberedHere.accept(e);
            }
            done.complete(null);
        }, () -> {
            done.completeExceptionally(new IllegalStateException("Redis is unreachable: the message was delivered on this "
                    + "instance only, not logged and not published"));
            // Redis is away: resuming connections here still get it, unnumbered (not logged, not replayable).
            if (!toLog.isEmpty()) {
                Map<String, Long> none = new HashMap<>();
                numberedHere.accept(envelope.numbered(none));
            }
        });
        return done;
    }

    /** On the Redis thread: logs what Node Mesa published and hands the numbered copy to every instance. */
    private void logForeign(UnifiedJedis r, Envelope e) {
        Set<String> users = new LinkedHashSet<>(e.users());
        users.removeAll(e.excluding());
        Envelope numbered = e.numbered(append(r, e.frame(), users));
        r.publish(keys.logged(), Publication.encode(numbered, instance));
        numberedHere.accept(numbered);
    }

    private Map<String, Long> append(UnifiedJedis r, String frame, Set<String> users) {
        Map<String, Long> seqs = new LinkedHashMap<>();
        String now = Long.toString(System.currentTimeMillis());
        for (String user : users) {
            Object seq = r.eval(Scripts.LOG_APPEND, keys.log(user), List.of(UUID.randomUUID().toString(), frame, now,
                    Integer.toString(logMaxEntries), Long.toString(logRetentionMillis)));
            seqs.put(user, ((Number) seq).longValue());
        }
        return seqs;
    }

    @Override
    public boolean logs() {
        return true;
    }

    @Override
    public void readLog(String user, String epoch, long after, Consumer<Replay> then) {
        read(user, epoch, after, then, false);
    }

    @Override
    public void readLogOnResume(String user, String epoch, long after, Consumer<Replay> then) {
        read(user, epoch, after, then, syncEnabled);
    }

    private void read(String user, String epoch, long after, Consumer<Replay> then, boolean adoptStored) {
        worker.submit("read a user's log", () -> { }, r -> {
            if (adoptStored) {
                adoptStored(r, user);
            }
            List<?> out = (List<?>) r.eval(Scripts.LOG_READ, keys.log(user), List.of(UUID.randomUUID().toString(),
                    epoch == null ? "" : epoch, Long.toString(after), Long.toString(System.currentTimeMillis()),
                    Long.toString(logRetentionMillis)));
            List<Replay.Entry> entries = new ArrayList<>();
            for (int i = 3; i + 1 < out.size(); i += 2) {
                entries.add(new Replay.Entry(Long.parseLong(out.get(i).toString()), out.get(i + 1).toString()));
            }
            then.accept(new Replay(out.get(0).toString(), Long.parseLong(out.get(1).toString()),
                    "1".equals(out.get(2).toString()), entries));
        }, () -> then.accept(null));
    }

    /**
     * On the Redis thread: logs what Node Mesa stored for the user in Mesa 1.x's store, then removes
     * exactly what was read. Entries we stored ourselves are in the log already (marked, see
     * {@link #storeForAway}) and are only removed. A crash between the two steps leaves them stored: logged
     * again next time rather than lost.
     */
    private void adoptStored(UnifiedJedis r, String user) {
        String stored = r.hget(keys.undeliveredMessages(), user);
        if (stored == null || stored.isEmpty() || "[]".equals(stored)) {
            return;
        }
        List<String> unlogged = RedisSyncStore.unlogged(stored);
        if (unlogged == null) {
            return;
        }
        for (String frame : unlogged) {
            append(r, frame, Set.of(user));
        }
        r.eval(Scripts.REMOVE_READ, List.of(keys.undeliveredMessages()), List.of(user, stored));
    }

    @Override
    public void acknowledge(String user, long seq) {
        worker.submit("acknowledge a user's messages",
                r -> r.eval(Scripts.LOG_ACK, List.of(keys.log(user).get(0)), List.of(Long.toString(seq + 1))));
    }

    /**
     * Stores for the recipients no instance holds, before publishing to the others. connected_clients is
     * the one record every Mesa keeps; an instance adds a user to it before taking their stored messages,
     * so a message is either published to a bound user or stored before (or after) the take: never both,
     * never neither.
     *
     * @return the users it was stored for
     */
    private Set<String> storeForAway(UnifiedJedis r, Envelope e, Set<String> away) {
        Message m = e.message();
        if (!syncEnabled || away.isEmpty() || !m.sync() || m.opcode() != Message.DISPATCH) {
            return Set.of();
        }
        List<String> stored = new ArrayList<>();
        for (String user : away) {
            if (!r.sismember(keys.connectedClients(), user)) {
                // Marked when logged: a resuming client that takes the store later must not log it twice.
                store.appendNow(r, user, e.sequences().containsKey(user) ? Publication.storedLogged(e.frame()) : e.frame());
                stored.add(user);
            }
        }
        if (!stored.isEmpty()) {
            onStored.accept(m, stored);
        }
        return Set.copyOf(stored);
    }

    @Override
    public boolean replicated() {
        return true;
    }

    @Override
    public void connectionOpened() {
        if (!stopped) {
            worker.submit("count a connection", () -> connectionsHere++, r -> {
                r.eval(Scripts.CONNECTIONS, keys.presence(instance), List.of("1"));
                r.incr(keys.connectedClientsCount());
            });
        }
    }

    @Override
    public void connectionClosed() {
        if (!stopped) {
            worker.submit("count a disconnection", () -> connectionsHere--, r -> {
                r.eval(Scripts.CONNECTIONS, keys.presence(instance), List.of("-1"));
                r.decr(keys.connectedClientsCount());
            });
        }
    }

    @Override
    public void userBound(String user) {
        if (!stopped) {
            worker.submit("mark a user connected", () -> usersHere.merge(user, 1, Integer::sum),
                    r -> r.eval(Scripts.USER_BOUND, keys.presence(instance), List.of(user)));
        }
    }

    @Override
    public void userUnbound(String user) {
        if (!stopped) {
            worker.submit("mark a user disconnected", () -> usersHere.computeIfPresent(user, (k, n) -> n > 1 ? n - 1 : null),
                    r -> r.eval(Scripts.USER_UNBOUND, keys.presence(instance), List.of(user)));
        }
    }

    /** On the Redis thread: replaces this instance's record with what it holds now. */
    private void register(UnifiedJedis r) {
        withdraw(r, instance);
        List<String> args = new ArrayList<>();
        args.add(instance);
        args.add(Long.toString(presenceTtlMillis));
        args.add(Integer.toString(connectionsHere));
        usersHere.forEach((user, n) -> {
            args.add(user);
            args.add(Integer.toString(n));
        });
        r.eval(Scripts.REGISTER, keys.presence(instance), args);
        if (connectionsHere != 0) {
            r.incrBy(keys.connectedClientsCount(), connectionsHere);
        }
        lease(r);
    }

    /**
     * On the Redis thread: takes or keeps the logger lease. It lives as long as presence, so an instance
     * that dies hands it on within the same bound as its users; the others contend on every refresh.
     */
    private void lease(UnifiedJedis r) {
        if (!logForeign) {
            return;
        }
        boolean held = ((Number) r.eval(Scripts.LEASE, List.of(keys.logger()),
                List.of(instance, Long.toString(presenceTtlMillis)))).longValue() == 1;
        if (held != logger) {
            logger = held;
            if (held) {
                LOG.info(() -> "Mesa instance " + instance + " now logs the messages Node Mesa publishes to users");
            }
        }
    }

    /** On the Redis thread: takes an instance's contributions off the shared record. */
    private void withdraw(UnifiedJedis r, String id) {
        Object connections = r.eval(Scripts.WITHDRAW, keys.presence(id), List.of(id));
        long n = connections instanceof Number num ? num.longValue() : 0;
        if (n != 0) {
            r.decrBy(keys.connectedClientsCount(), n);
        }
    }

    /** On the Redis thread: keeps this instance alive, and withdraws instances that stopped refreshing. */
    private void refreshAndSweep(UnifiedJedis r) {
        String ok = r.set(keys.alive(instance), "1", SetParams.setParams().px(presenceTtlMillis).xx());
        if (ok == null) {
            LOG.info("Mesa's presence record in Redis was gone (Redis restarted, or this instance was presumed dead); "
                    + "writing it again");
            register(r);
        } else {
            lease(r);
        }
        for (String id : r.smembers(keys.instances())) {
            if (!id.equals(instance) && !r.exists(keys.alive(id))) {
                withdraw(r, id);
                LOG.info(() -> "Mesa withdrew the presence of instance " + id + ", which stopped refreshing it");
            }
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
     * Withdraws this instance's presence (including connections whose close the container has not
     * reported yet), so that a clean shutdown leaves connected_clients and the count right for everyone else.
     */
    @Override
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        presenceTimer.shutdownNow();
        worker.submit("withdraw this instance", r -> {
            withdraw(r, instance);
            if (logger) {
                r.eval(Scripts.RELEASE, List.of(keys.logger()), List.of(instance));
            }
        });
        worker.stop(3_000);
        // Only then: the subscription's connection goes back to the pool the worker draws from.
        Subscriber s = subscriber;
        if (s != null) {
            s.stop();
        }
        redis.close();
    }
}
