package dev.mesa.bench;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonGenerator;
import jakarta.json.stream.JsonGeneratorFactory;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.OnOpen;
import jakarta.websocket.RemoteEndpoint;
import jakarta.websocket.SendResult;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The baseline of the benchmark: the same contract as {@link BenchEndpoint} on a plain Jakarta WebSocket
 * endpoint, {@code ws://host/mesa-bench/bare}, with no Mesa in the way. It is what a competent developer
 * writes with the standard API alone, so that "Mesa's cost per broadcast message" is measured against
 * something fair: JSON-P to parse and to write, each broadcast message serialised once and handed to every
 * open session, asynchronous sends.
 *
 * <ul>
 *   <li>on open: hello {@code {"op":10,"d":{}}}; op 2 (any credentials) is answered with
 *       {@code {"op":22,"d":{}}}; other ops and unknown types are ignored;</li>
 *   <li>{@code BENCH_BROADCAST} / {@code BENCH_ECHO}: as {@link BenchEndpoint}.</li>
 * </ul>
 */
@ServerEndpoint("/bare")
public class BareEndpoint {

    private static final Set<Outbound> OPEN = ConcurrentHashMap.newKeySet();
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());
    private static final JsonGeneratorFactory WRITERS = Json.createGeneratorFactory(Map.of());
    private static final String HELLO = "{\"op\":10,\"d\":{}}";
    private static final String AUTHENTICATED = "{\"op\":22,\"d\":{}}";

    /** The container creates one endpoint instance per connection. */
    private Outbound out;

    @OnOpen
    public void open(Session session) {
        // Receivers may stay silent for a whole run; Mesa turns the container's idle timeout off too.
        session.setMaxIdleTimeout(0);
        out = new Outbound(session.getAsyncRemote());
        OPEN.add(out);
        out.send(HELLO);
    }

    @OnMessage
    public void message(String text) {
        JsonObject frame;
        try (JsonReader reader = READERS.createReader(new StringReader(text))) {
            frame = reader.readObject();
        } catch (JsonException | IllegalStateException notAnObject) {
            return;
        }
        int op = frame.getInt("op", -1);
        if (op == 2) {
            out.send(AUTHENTICATED);
        } else if (op == 0 && frame.get("t") instanceof JsonString type) {
            JsonValue d = frame.getOrDefault("d", JsonValue.NULL);
            switch (type.getString()) {
                case "BENCH_BROADCAST" -> broadcast(BroadcastRequest.of(d));
                case "BENCH_ECHO" -> out.send(json(g -> g.write("op", 0).write("t", "BENCH_ECHO").write("d", d)));
                default -> { }
            }
        }
    }

    @OnClose
    public void close() {
        OPEN.remove(out);
        out.closed();
    }

    @OnError
    public void error(Throwable error) {
        // The container closes the session and calls @OnClose, which is all the cleanup there is.
    }

    private static void broadcast(BroadcastRequest request) {
        String pad = request.pad();
        for (int seq = 0; seq < request.count(); seq++) {
            int s = seq;
            String text = json(g -> g.write("op", 0).write("t", "BENCH").writeStartObject("d")
                    .write("ts", BroadcastRequest.nowMillis()).write("seq", s).write("pad", pad).writeEnd());
            for (Outbound o : OPEN) {
                o.send(text);
            }
        }
    }

    /** One JSON object, written straight to text without building a tree first. */
    private static String json(Consumer<JsonGenerator> members) {
        StringWriter text = new StringWriter();
        try (JsonGenerator g = WRITERS.createGenerator(text)) {
            g.writeStartObject();
            members.accept(g);
            g.writeEnd();
        }
        return text.toString();
    }

    /**
     * One session's sends: Jakarta WebSocket containers refuse a second asynchronous send while one is in
     * flight, so texts wait in an unbounded queue (like Node's {@code ws}) and each completion starts the
     * next. A send may complete before {@code sendText} returns; the loop then carries on instead of
     * recursing, so a burst of thousands of queued texts cannot overflow the stack.
     */
    static final class Outbound {
        private final RemoteEndpoint.Async remote;
        private final ArrayDeque<String> queue = new ArrayDeque<>();
        private boolean sending;
        private boolean closed;

        Outbound(RemoteEndpoint.Async remote) {
            this.remote = remote;
        }

        void send(String text) {
            synchronized (this) {
                if (closed) {
                    return;
                }
                queue.addLast(text);
                if (sending) {
                    return;
                }
                sending = true;
            }
            drain();
        }

        synchronized void closed() {
            closed = true;
            queue.clear();
        }

        private void drain() {
            while (true) {
                String next;
                synchronized (this) {
                    next = queue.pollFirst();
                    if (next == null) {
                        sending = false;
                        return;
                    }
                }
                // Whoever of the completion handler and this thread comes second continues the queue.
                AtomicBoolean other = new AtomicBoolean();
                try {
                    remote.sendText(next, result -> completed(result, other));
                } catch (RuntimeException sessionGone) {
                    // Closed meanwhile: must not break the broadcaster's loop over the other sessions.
                    closed();
                    continue;
                }
                if (other.compareAndSet(false, true)) {
                    return;
                }
            }
        }

        private void completed(SendResult result, AtomicBoolean other) {
            if (!result.isOK()) {
                closed(); // the connection is broken; @OnClose follows
            }
            if (!other.compareAndSet(false, true)) {
                drain();
            }
        }
    }
}
