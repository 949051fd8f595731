package dev.mesa.runtime.redis;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import redis.clients.jedis.UnifiedJedis;

import dev.mesa.Message;
import dev.mesa.runtime.Frames;
import dev.mesa.runtime.SyncStore;

/**
 * Mesa 1.x's {@code undelivered_messages} hash (field: user id, value: a JSON
 * array of {@code {op,d,t}}), shared with Node Mesa servers and Dispatchers, and
 * changed only by atomic scripts. Every call runs on the broker's Redis thread.
 */
final class RedisSyncStore implements SyncStore {

    private static final Logger LOG = Logger.getLogger("dev.mesa");

    /** Made once: {@code Json.createReader} looks the provider up on every call. */
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private final RedisWorker worker;
    private final String key;

    RedisSyncStore(RedisWorker worker, String key) {
        this.worker = worker;
        this.key = key;
    }

    /** On the Redis thread: appends one message. */
    void appendNow(UnifiedJedis redis, String user, String messageJson) {
        redis.eval(Scripts.APPEND, List.of(key), List.of(user, messageJson));
    }

    @Override
    public int append(String user, Message message, int max) {
        // The hash has no count to bound (Node Mesa writes it too); retention comes with the stream-backed store.
        String json = Frames.frame(message.opcode(), json(message), message.type(), 0);
        worker.submit("store a message for a user who is away", redis -> appendNow(redis, user, json));
        return 0;
    }

    @Override
    public void putBack(String user, List<Message> messages) {
        StringJoiner joined = new StringJoiner(",");
        for (Message m : messages) {
            joined.add(Frames.frame(m.opcode(), json(m), m.type(), 0));
        }
        worker.submit("keep messages whose redelivery was cut short",
                redis -> redis.eval(Scripts.PUT_BACK, List.of(key), List.of(user, joined.toString())));
    }

    @Override
    public void take(String user, Consumer<List<Message>> then) {
        worker.submit("redeliver stored messages", redis -> {
            Object stored = redis.eval(Scripts.TAKE, List.of(key), List.of(user));
            then.accept(stored == null ? List.of() : parse(stored.toString()));
        });
    }

    @Override
    public void discard(String user) {
        worker.submit("discard stored messages", redis -> redis.hdel(key, user));
    }

    /** Stored messages come from the wire or from this store, so their data is already JSON. */
    private static String json(Message m) {
        if (m.data() == null) {
            return "{}";
        }
        if (m.data() instanceof JsonValue v) {
            return v.toString();
        }
        throw new IllegalArgumentException("a stored message carries JSON data, not " + m.data().getClass().getName());
    }

    /**
     * @return the frames of the synced application messages in a stored array that no log holds yet, in
     *         order; null when the value cannot be read (it is then left as it is)
     */
    static List<String> unlogged(String json) {
        List<JsonValue> entries = array(json);
        if (entries == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (JsonValue v : entries) {
            if (v instanceof JsonObject o && !o.containsKey(Publication.LOGGED_MARK) && o.get("op") instanceof JsonNumber op
                    && op.intValue() == Message.DISPATCH && !(o.get("o") instanceof JsonObject opts && opts.get("sync") == JsonValue.FALSE)) {
                JsonValue d = o.containsKey("d") && o.get("d") != JsonValue.NULL ? o.get("d") : JsonValue.EMPTY_JSON_OBJECT;
                String t = o.get("t") instanceof JsonString s ? s.getString() : null;
                out.add(Frames.frame(op.intValue(), d.toString(), t, 0));
            }
        }
        return out;
    }

    private static List<JsonValue> array(String json) {
        try (JsonReader reader = READERS.createReader(new StringReader(json))) {
            return reader.readArray();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Mesa could not read a user's stored messages; they are left as they are", e);
            return null;
        }
    }

    /** Reads what Node Mesa or we stored; entries that are not messages are skipped and logged. */
    static List<Message> parse(String json) {
        List<Message> out = new ArrayList<>();
        try (JsonReader reader = READERS.createReader(new StringReader(json))) {
            for (JsonValue v : reader.readArray()) {
                if (v instanceof JsonObject o && o.get("op") instanceof JsonNumber op) {
                    JsonValue d = o.containsKey("d") && o.get("d") != JsonValue.NULL ? o.get("d") : JsonValue.EMPTY_JSON_OBJECT;
                    String t = o.get("t") instanceof JsonString s ? s.getString() : null;
                    out.add(new Message(op.intValue(), d, t, true));
                } else {
                    LOG.warning("Mesa skipped a stored entry that is not a message");
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "Mesa could not read a user's stored messages; they are dropped", e);
        }
        return out;
    }
}
