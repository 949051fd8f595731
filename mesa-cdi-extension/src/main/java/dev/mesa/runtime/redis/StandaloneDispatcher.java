package dev.mesa.runtime.redis;

import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import redis.clients.jedis.UnifiedJedis;

import dev.mesa.Dispatcher;
import dev.mesa.Message;
import dev.mesa.runtime.Envelope;
import dev.mesa.runtime.Envelope.Audience;
import dev.mesa.runtime.Frames;
import dev.mesa.runtime.RedisSettings;

/**
 * A {@link Dispatcher} for processes outside the application server (batch
 * jobs, other services): Mesa 1.x's standalone Dispatcher, in Java. It needs
 * the Mesa jars and Jedis on the class path, nothing of Jakarta EE, and reaches
 * the clients of every Mesa instance (ours or Node Mesa) on the Redis and namespace.
 *
 * <pre>{@code
 * try (StandaloneDispatcher dispatcher = StandaloneDispatcher.connect("redis://127.0.0.1:6379", "")) {
 *     dispatcher.dispatch(Message.of("STATUS", Map.of("online", true)), List.of("42"));
 * }
 * }</pre>
 *
 * <p>Unlike the in-server Dispatcher, {@code dispatch} blocks until Redis has
 * the message, and throws when Redis cannot be reached. Message data is written
 * as JSON from maps, lists, arrays, records, strings, numbers, booleans, enums
 * and {@code jakarta.json} values. Thread-safe.
 */
public final class StandaloneDispatcher implements Dispatcher, AutoCloseable {

    /** The servers' defaults for the resume log (mesa.sync.max-messages, mesa.sync.retention). */
    private static final int LOG_MAX_ENTRIES = Integer.parseInt(dev.mesa.MesaConfigKeys.SYNC_MAX_MESSAGES_DEFAULT);
    private static final long LOG_RETENTION_MILLIS = java.time.Duration.ofHours(24).toMillis();

    private final UnifiedJedis redis;
    private final RedisKeys keys;
    private final boolean sync;
    private final String origin = "dispatcher-" + UUID.randomUUID();

    private StandaloneDispatcher(UnifiedJedis redis, String namespace, boolean sync) {
        this.redis = redis;
        this.keys = RedisKeys.of(namespace);
        this.sync = sync;
    }

    /**
     * Connects without message sync (as Node Mesa's Dispatcher by default).
     *
     * @param redisUri  {@code redis://[user:password@]host[:port][/database]} or {@code rediss://...}
     * @param namespace Mesa's namespace, or empty
     * @return the dispatcher
     */
    public static StandaloneDispatcher connect(String redisUri, String namespace) {
        return connect(redisUri, namespace, false);
    }

    /**
     * Connects.
     *
     * @param redisUri  {@code redis://[user:password@]host[:port][/database]} or {@code rediss://...}
     * @param namespace Mesa's namespace, or empty
     * @param sync      store synced messages for recipients no instance holds, for redelivery, and log them
     *                  for the resume extension (with the servers' default retention)
     * @return the dispatcher
     */
    public static StandaloneDispatcher connect(String redisUri, String namespace, boolean sync) {
        RedisSettings settings = new RedisSettings(java.net.URI.create(redisUri), null, List.of(), List.of(),
                null, null, false, java.time.Duration.ofSeconds(2), java.time.Duration.ofSeconds(15));
        return new StandaloneDispatcher(RedisClients.create(settings), namespace == null ? "" : namespace, sync);
    }

    @Override
    public void dispatch(Message message, Collection<String> recipients, Collection<String> excluding) {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(recipients, "recipients");
        Set<String> excluded = excluding == null ? Set.of() : Set.copyOf(excluding);
        String frame = Frames.frame(message.opcode(), message.data() == null ? "{}" : JsonText.write(message.data()),
                message.type(), 0);
        Envelope e;
        if (recipients.contains(EVERYONE)) {
            e = new Envelope(message, frame, Audience.AUTHENTICATED, Set.of(), excluded);
        } else {
            Set<String> users = new LinkedHashSet<>(recipients);
            users.removeAll(excluded);
            if (users.isEmpty()) {
                return;
            }
            e = new Envelope(message, frame, Audience.USERS, users, Set.of());
        }
        if (sync && e.audience() == Audience.USERS && message.sync() && message.opcode() == Message.DISPATCH) {
            // Logged first, so resuming clients get it numbered; then, as Node Mesa's Dispatcher, a user no
            // instance holds gets it stored, the others get it published.
            Map<String, Long> seqs = new LinkedHashMap<>();
            String now = Long.toString(System.currentTimeMillis());
            for (String user : e.users()) {
                Object seq = redis.eval(Scripts.LOG_APPEND, keys.log(user), List.of(UUID.randomUUID().toString(), frame, now,
                        Integer.toString(LOG_MAX_ENTRIES), Long.toString(LOG_RETENTION_MILLIS)));
                seqs.put(user, ((Number) seq).longValue());
            }
            Set<String> online = new LinkedHashSet<>();
            for (String user : e.users()) {
                if (redis.sismember(keys.connectedClients(), user)) {
                    online.add(user);
                } else {
                    redis.eval(Scripts.APPEND, List.of(keys.undeliveredMessages()), List.of(user, Publication.storedLogged(frame)));
                }
            }
            if (online.isEmpty()) {
                return;
            }
            e = new Envelope(message, frame, Audience.USERS, online, Set.of(), seqs);
        }
        redis.publish(keys.channel(), Publication.encode(e, origin));
    }

    @Override
    public void close() {
        redis.close();
    }
}
