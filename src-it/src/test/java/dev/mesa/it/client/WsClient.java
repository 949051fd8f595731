package dev.mesa.it.client;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A raw WebSocket test client on {@link java.net.http.WebSocket}: records every message it
 * receives with a timestamp and how the connection closed; sends text, binary and fragmented
 * text; answers heartbeats (op 1 → op 11) unless told to stay {@link #silent() silent}.
 *
 * <p>Reads are cursor based: {@link #next()} returns the next frame not yet consumed, so a
 * test can assert an exact sequence; {@link #frames()} is the whole history.
 */
public final class WsClient implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final List<Frame> frames = new ArrayList<>();
    private final CompletableFuture<CloseInfo> closed = new CompletableFuture<>();
    private final long openedAt;
    private final Object sendLock = new Object();
    private volatile boolean answerHeartbeats = true;
    private volatile boolean paused;
    private volatile boolean demandWithheld;
    private WebSocket ws;
    private int cursor;

    private WsClient(String name) {
        this.name = name;
        this.openedAt = System.nanoTime();
    }

    /** The outcome of a handshake that may be refused. */
    public record Handshake(WsClient client, int status) {
        public boolean accepted() {
            return client != null;
        }
    }

    /** Connects or fails the test. */
    public static WsClient connect(URI uri) {
        return connect(uri, Map.of());
    }

    /** Connects with extra handshake headers (such as {@code Origin}) or fails the test. */
    public static WsClient connect(URI uri, Map<String, String> headers) {
        Handshake h = tryConnect(uri, headers);
        if (!h.accepted()) {
            throw new AssertionError("handshake to " + uri + " refused with HTTP " + h.status);
        }
        return h.client;
    }

    /** Tries to connect; a refused handshake returns its HTTP status. */
    public static Handshake tryConnect(URI uri, Map<String, String> headers) {
        WsClient client = new WsClient(uri.getPath());
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5));
        headers.forEach(builder::header);
        try {
            client.ws = builder.buildAsync(uri, client.new Listener()).get(10, TimeUnit.SECONDS);
            return new Handshake(client, 101);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            while (cause != null && !(cause instanceof WebSocketHandshakeException) && cause.getCause() != null
                    && cause.getCause() != cause) {
                cause = cause.getCause();
            }
            if (cause instanceof WebSocketHandshakeException hse) {
                return new Handshake(null, hse.getResponse().statusCode());
            }
            throw new AssertionError("cannot connect to " + uri, e);
        } catch (InterruptedException | TimeoutException e) {
            throw new AssertionError("cannot connect to " + uri, e);
        }
    }

    /** Stops answering heartbeats. */
    public WsClient silent() {
        answerHeartbeats = false;
        return this;
    }

    /**
     * Stops reading from the socket (no more demand): the server's writes then back up through TCP.
     * At most one more message, already requested, may still arrive.
     */
    public WsClient pause() {
        paused = true;
        return this;
    }

    /** Reads again after {@link #pause()}. */
    public WsClient resume() {
        paused = false;
        if (demandWithheld) {
            demandWithheld = false;
            ws.request(1);
        }
        return this;
    }

    // ---------------------------------------------------------------- sending

    /** Sends one text frame. */
    public WsClient sendText(String text) {
        return send(() -> ws.sendText(text, true));
    }

    /** Sends a JSON object as one text frame. */
    public WsClient send(JsonObject json) {
        return sendText(json.toString());
    }

    /** Sends one text message as several frames (the first with FIN clear, then continuations). */
    public WsClient sendFragments(List<String> parts) {
        for (int i = 0; i < parts.size(); i++) {
            String part = parts.get(i);
            boolean last = i == parts.size() - 1;
            send(() -> ws.sendText(part, last));
        }
        return this;
    }

    /** Sends one binary frame. */
    public WsClient sendBinary(byte[] data) {
        return send(() -> ws.sendBinary(ByteBuffer.wrap(data), true));
    }

    /** Sends op 0 {@code {"op":0,"t":type,"d":d}}. */
    public WsClient dispatch(String type, JsonValue d) {
        return send(Json.createObjectBuilder().add("op", 0).add("t", type).add("d", d).build());
    }

    /** Sends op 2 with the token and shouldSync. */
    public WsClient authenticate(String token, Boolean shouldSync) {
        JsonObjectBuilder d = Json.createObjectBuilder().add("token", token);
        if (shouldSync != null) {
            d.add("shouldSync", shouldSync);
        }
        return send(Json.createObjectBuilder().add("op", 2).add("d", d).build());
    }

    /** Sends op 2 with the token (no shouldSync). */
    public WsClient authenticate(String token) {
        return authenticate(token, null);
    }

    /** Sends {@code CLIENT_VERSION}. */
    public WsClient clientVersion(String v) {
        return dispatch("CLIENT_VERSION", Json.createObjectBuilder().add("v", v).build());
    }

    private interface Sender {
        CompletableFuture<WebSocket> send();
    }

    private WsClient send(Sender sender) {
        // java.net.http allows one outstanding send at a time; a lock of its own so that
        // sending never holds the monitor the listener needs to record frames.
        synchronized (sendLock) {
            try {
                sender.send().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException | ExecutionException | TimeoutException e) {
                throw new IllegalStateException(name + ": send failed", e);
            }
        }
        return this;
    }

    /** Sends but ignores a failure (the server may already have closed the socket). */
    public void sendQuietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException ignored) {
            // the server closed first: fine for hostile-frame tests
        }
    }

    // ---------------------------------------------------------------- receiving

    /** @return a copy of every frame received so far */
    public synchronized List<Frame> frames() {
        return List.copyOf(frames);
    }

    /** @return the frames not consumed by {@link #next()} yet */
    public synchronized List<Frame> unread() {
        return List.copyOf(frames.subList(cursor, frames.size()));
    }

    /** The next unconsumed frame, waiting up to 5 s. */
    public JsonObject next() {
        return nextFrame(Await.SHORT).json();
    }

    /** The next unconsumed frame, waiting up to {@code timeout}. */
    public synchronized Frame nextFrame(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (cursor >= frames.size()) {
            long left = deadline - System.nanoTime();
            // frames are recorded before the close is: closed with nothing unread means nothing more will come
            if (left <= 0 || closed.isDone()) {
                throw new AssertionError(name + ": no next frame (waited up to " + timeout.toMillis() + " ms); received "
                        + frames + (closed.isDone() ? ", closed " + closed.join() : ""));
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        return frames.get(cursor++);
    }

    /** Skips frames until one matches (consuming it and the skipped ones). */
    public JsonObject nextMatching(Predicate<JsonObject> p, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + ": no matching frame within " + timeout.toMillis() + " ms; received " + frames);
            }
            JsonObject o = nextFrame(Duration.ofNanos(left)).json();
            if (p.test(o)) {
                return o;
            }
        }
    }

    /** Waits for the hello (op 10), which must be the first frame, and returns it. */
    public JsonObject hello() {
        JsonObject first = next();
        if (first.getInt("op", -1) != 10) {
            throw new AssertionError(name + ": first frame is not hello: " + first);
        }
        return first;
    }

    /**
     * A barrier: sends {@code ECHO {"marker":marker}} and returns once the echo is back, checking
     * that nothing else arrived between the cursor and the echo. Every frame the server queued
     * for this connection before handling the ECHO has then been received.
     */
    public void echoRoundTrip(String marker) {
        JsonObject data = Json.createObjectBuilder().add("marker", marker).build();
        dispatch("ECHO", data);
        JsonObject expected = Json.createObjectBuilder().add("op", 0).add("d", data).add("t", "ECHO").build();
        JsonObject got = next();
        if (!expected.equals(got)) {
            throw new AssertionError(name + ": expected only the echo " + expected + " but got " + got + "; all frames: " + frames);
        }
    }

    /** Waits for the close, up to {@code timeout}. */
    public CloseInfo awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(name + ": not closed within " + timeout.toMillis() + " ms; frames " + frames);
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits for the close, up to 5 s. */
    public CloseInfo awaitClose() {
        return awaitClose(Await.SHORT);
    }

    /** @return whether the connection has closed */
    public boolean isClosed() {
        return closed.isDone();
    }

    /** @return ms from when the connection was opened until {@code atNanos} */
    public long millisSinceOpen(long atNanos) {
        return TimeUnit.NANOSECONDS.toMillis(atNanos - openedAt);
    }

    @Override
    public void close() {
        if (ws != null && !closed.isDone()) {
            try {
                ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(2, TimeUnit.SECONDS);
                closed.get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // best effort
            }
            ws.abort();
        }
    }

    private synchronized void received(Frame f) {
        frames.add(f);
        notifyAll();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                received(new Frame(System.nanoTime(), false, message));
                if (answerHeartbeats && message.contains("\"op\"")) {
                    answerHeartbeat(webSocket, message);
                }
            }
            demand(webSocket);
            return null;
        }

        private void demand(WebSocket webSocket) {
            if (paused) {
                demandWithheld = true;
                if (!paused) { // resumed meanwhile
                    resume();
                }
            } else {
                webSocket.request(1);
            }
        }

        private void answerHeartbeat(WebSocket webSocket, String message) {
            try {
                Frame f = new Frame(0, false, message);
                if (f.op() == 1) {
                    // Not from this thread synchronously through send(): never block the listener.
                    CompletableFuture.runAsync(() -> {
                        try {
                            sendText("{\"op\":11,\"d\":{}}");
                        } catch (RuntimeException ignored) {
                            // closed meanwhile
                        }
                    });
                }
            } catch (AssertionError ignored) {
                // not JSON: nothing to answer
            }
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            byte[] bytes = new byte[data.remaining()];
            data.get(bytes);
            received(new Frame(System.nanoTime(), true, HexFormat.of().formatHex(bytes)));
            demand(webSocket);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new CloseInfo(statusCode, reason, System.nanoTime(), null));
            synchronized (WsClient.this) {
                WsClient.this.notifyAll();
            }
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new CloseInfo(-1, "", System.nanoTime(), error));
            synchronized (WsClient.this) {
                WsClient.this.notifyAll();
            }
        }
    }
}
