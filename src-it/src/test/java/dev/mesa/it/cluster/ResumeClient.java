package dev.mesa.it.cluster;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * A client of the resume extension (docs/resume.md), written from the spec alone, on {@link java.net.http.WebSocket}.
 *
 * <p>It keeps {@code {epoch, s}}; on each connection it waits for the hello (which must list the rule
 * {@code resume}), authenticates with op 2 {@code {"token":"u:<user>","resume":{"epoch":…,"s":…}}}, takes op 23
 * (a {@code reset} is recorded: none of the fault tests may see one), and processes numbered frames by the client
 * rules: {@code s <= last} is a duplicate (recorded, dropped), {@code s == last + 1} is processed, {@code s > last + 1}
 * is a gap (recorded; the connection is dropped and the client resumes from {@code last}). It acknowledges with
 * op 3 every {@code ackEvery} processed messages. When a connection ends without the test asking, it reconnects
 * (resuming) to the first of its {@link #targets(List) targets} that accepts, bounded by 30 s.
 *
 * <p>Everything is recorded for {@link DeliveryCheck}: the processed stream, every numbered frame each connection
 * received (duplicates included, with the acknowledgement sent by then), the op 23 headers, gaps, unnumbered
 * frames and a timestamped event log for failure messages.
 */
final class ResumeClient implements AutoCloseable {

    /** One processed message. */
    record Delivery(long s, String type, JsonObject d, int connection) {
    }

    /** A numbered frame dropped as a duplicate: its s, the last processed s and the last acknowledged s then. */
    record Duplicate(long s, long last, long acked, int connection) {
    }

    /** An op 23 header, with what the client asked for. */
    record Header(int connection, URI uri, String epoch, long s, boolean reset, String askedEpoch, long askedS) {
    }

    /** A gap: expected {@code last + 1}, got {@code got}. */
    record Gap(int connection, long expected, long got) {
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final Duration RECONNECT_BOUND = Duration.ofSeconds(30);

    final String name;
    final String user;
    private final int ackEvery;
    private final long createdAt = System.nanoTime();
    private final ExecutorService control;

    // all guarded by this
    private List<URI> targets = List.of();
    private String epoch;
    private long last;
    private long acked;
    private Conn current;
    private int connections;
    private boolean autoReconnect = true;
    private boolean closed;
    private int abortAfter = -1;
    private String failure;
    private final List<Delivery> processed = new ArrayList<>();
    private final List<Duplicate> duplicates = new ArrayList<>();
    private final List<Header> headers = new ArrayList<>();
    private final List<Gap> gaps = new ArrayList<>();
    private final List<String> unnumbered = new ArrayList<>();
    private final List<String> echoes = new ArrayList<>();
    private final Map<Integer, List<Long>> received = new LinkedHashMap<>();
    private final Map<Integer, URI> connectionUris = new LinkedHashMap<>();
    private final List<String> events = new ArrayList<>();

    ResumeClient(String name, String user, int ackEvery) {
        this.name = name;
        this.user = user;
        this.ackEvery = ackEvery;
        this.control = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "resume-client-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    // ------------------------------------------------------------------ control

    /** Where to reconnect, in order of preference. */
    synchronized ResumeClient targets(List<URI> uris) {
        this.targets = List.copyOf(uris);
        return this;
    }

    /** Drops the connection (abort, no close handshake) right after processing the {@code n}-th message, and stays away. */
    synchronized ResumeClient abortAfter(int n) {
        this.abortAfter = n;
        return this;
    }

    /** Connects to {@code uri} with the client's current position and waits for that connection's op 23. */
    Header connect(URI uri) {
        int before;
        synchronized (this) {
            autoReconnect = true;
            before = headers.size();
        }
        String error = open(uri);
        if (error != null) {
            throw new AssertionError(name + ": cannot connect to " + uri + ": " + error + "\n" + describe());
        }
        await("op 23 from " + uri, Duration.ofSeconds(10), () -> headers.size() > before);
        synchronized (this) {
            return headers.get(before);
        }
    }

    /** Closes the connection normally (op: close frame 1000) and does not reconnect. */
    void closeNormally() {
        Conn c;
        synchronized (this) {
            autoReconnect = false;
            c = current;
            current = null;
            event("closing connection #" + (c == null ? "-" : c.id) + " normally (test)");
        }
        if (c != null && c.ws != null) {
            try {
                c.ws.sendClose(WebSocket.NORMAL_CLOSURE, "").get(3, TimeUnit.SECONDS);
            } catch (Exception e) {
                c.ws.abort();
            }
        }
    }

    /** Waits until {@code n} messages have been processed. */
    void awaitProcessed(int n, Duration timeout) {
        await(n + " messages processed", timeout, () -> processed.size() >= n);
    }

    /** Waits until the client's position reaches {@code s} (processed, or skipped by a reset); false on timeout. */
    boolean reached(long s, Duration timeout) {
        try {
            await("at s=" + s, timeout, () -> last >= s);
            return true;
        } catch (AssertionError e) {
            return false;
        }
    }

    /** Waits until the client has no open connection (after {@link #abortAfter}). */
    void awaitDisconnected(Duration timeout) {
        await("disconnected", timeout, () -> current == null);
    }

    /**
     * A barrier on the current connection: ECHO {"marker"} and wait for the echo. Everything the server queued on
     * this connection before handling the ECHO has then arrived.
     */
    void echo(String marker, Duration timeout) {
        Conn c;
        synchronized (this) {
            c = current;
        }
        if (c == null) {
            throw new AssertionError(name + ": no connection for the ECHO barrier\n" + describe());
        }
        c.send(Json.createObjectBuilder().add("op", 0).add("t", "ECHO")
                .add("d", Json.createObjectBuilder().add("marker", marker)).build().toString());
        await("echo " + marker, timeout, () -> echoes.contains(marker));
    }

    private synchronized void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(name + ": not " + what + " within " + timeout.toMillis() + " ms\n" + describe());
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Override
    public void close() {
        Conn c;
        synchronized (this) {
            closed = true;
            autoReconnect = false;
            c = current;
            current = null;
        }
        if (c != null && c.ws != null) {
            c.ws.abort();
        }
        control.shutdownNow();
    }

    // ------------------------------------------------------------------ snapshots

    synchronized List<Delivery> processed() {
        return List.copyOf(processed);
    }

    synchronized List<Duplicate> duplicates() {
        return List.copyOf(duplicates);
    }

    synchronized List<Header> headers() {
        return List.copyOf(headers);
    }

    synchronized List<Gap> gaps() {
        return List.copyOf(gaps);
    }

    synchronized List<String> unnumbered() {
        return List.copyOf(unnumbered);
    }

    /** Every numbered s connection {@code id} received (1-based), duplicates included, in arrival order. */
    synchronized List<Long> received(int connection) {
        return List.copyOf(received.getOrDefault(connection, List.of()));
    }

    synchronized int connections() {
        return connections;
    }

    synchronized URI uriOf(int connection) {
        return connectionUris.get(connection);
    }

    synchronized long last() {
        return last;
    }

    synchronized long acked() {
        return acked;
    }

    synchronized String epoch() {
        return epoch;
    }

    synchronized String failure() {
        return failure;
    }

    synchronized int processedCount() {
        return processed.size();
    }

    /** The client's state and event log, for failure messages. */
    synchronized String describe() {
        StringBuilder b = new StringBuilder();
        b.append("[").append(name).append(" user=").append(user).append(" epoch=").append(epoch).append(" last=").append(last)
                .append(" acked=").append(acked).append(" processed=").append(processed.size())
                .append(" connections=").append(connections).append(" gaps=").append(gaps)
                .append(" duplicates=").append(duplicates.size()).append(" unnumbered=").append(unnumbered.size())
                .append(failure == null ? "" : " FAILURE=" + failure).append("]\n  headers: ").append(headers)
                .append("\n  events:");
        List<String> ev = events.size() > 60 ? events.subList(events.size() - 60, events.size()) : events;
        if (ev != events) {
            b.append("\n    … ").append(events.size() - 60).append(" earlier events");
        }
        ev.forEach(e -> b.append("\n    ").append(e));
        return b.toString();
    }

    // ------------------------------------------------------------------ connections

    /** Opens a connection to {@code uri}; null when the handshake succeeded, else why not. */
    private String open(URI uri) {
        Conn conn;
        synchronized (this) {
            if (closed) {
                return "client closed";
            }
            conn = new Conn(++connections, uri);
            current = conn;
            received.put(conn.id, new ArrayList<>());
            connectionUris.put(conn.id, uri);
            event("connection #" + conn.id + " to " + uri + " (resume from epoch=" + epoch + ", s=" + last + ")");
        }
        try {
            HTTP.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(3)).buildAsync(uri, conn).get(10, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            synchronized (this) {
                event("connection #" + conn.id + " to " + uri + " failed: " + cause);
                if (current == conn) {
                    current = null;
                }
            }
            return cause.toString();
        }
    }

    /** Called with the lock held: resume elsewhere (or here) from the current position, off the listener thread. */
    private void scheduleReconnect(String why) {
        if (!autoReconnect || closed) {
            return;
        }
        event("will resume (" + why + ")");
        List<URI> to = targets;
        control.execute(() -> {
            long deadline = System.nanoTime() + RECONNECT_BOUND.toNanos();
            long pause = 50;
            while (System.nanoTime() < deadline) {
                synchronized (this) {
                    if (!autoReconnect || closed || current != null) {
                        return;
                    }
                }
                for (URI uri : to) {
                    if (open(uri) == null) {
                        return;
                    }
                }
                try {
                    Thread.sleep(pause);
                } catch (InterruptedException e) {
                    return;
                }
                pause = Math.min(500, pause * 2);
            }
            synchronized (this) {
                failure = "could not reconnect to any of " + to + " within " + RECONNECT_BOUND.toMillis() + " ms";
                event(failure);
                notifyAll();
            }
        });
    }

    private void event(String e) {
        events.add(String.format("+%6d ms %s", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - createdAt), e));
    }

    /** Handles one complete text message of {@code c}; returns whether to keep reading. */
    private synchronized boolean handle(Conn c, String text) {
        if (c != current) {
            return false; // a connection given up already: nothing it still delivers counts
        }
        try {
            JsonObject o;
            try (JsonReader r = Json.createReader(new StringReader(text))) {
                o = r.readObject();
            }
            int op = o.getInt("op", -1);
            switch (op) {
                case 10 -> {
                    boolean offered = o.getJsonObject("d").getJsonArray("rules").getValuesAs(JsonString.class).stream()
                            .anyMatch(s -> "resume".equals(s.getString()));
                    if (!offered) {
                        failure = "the hello does not offer the rule resume: " + text;
                        event(failure);
                        return false;
                    }
                    JsonObjectBuilder resume = Json.createObjectBuilder().add("s", last);
                    if (epoch == null) {
                        resume.add("epoch", JsonValue.NULL);
                    } else {
                        resume.add("epoch", epoch);
                    }
                    c.askedEpoch = epoch;
                    c.askedS = last;
                    c.send(Json.createObjectBuilder().add("op", 2).add("d", Json.createObjectBuilder()
                            .add("token", "u:" + user).add("resume", resume)).build().toString());
                }
                case 22 -> event("#" + c.id + " op 22");
                case 23 -> {
                    JsonObject d = o.getJsonObject("d");
                    Header h = new Header(c.id, c.uri, d.getString("epoch"), d.getJsonNumber("s").longValueExact(),
                            d.getBoolean("reset"), c.askedEpoch, c.askedS);
                    headers.add(h);
                    event("#" + c.id + " op 23 " + d);
                    epoch = h.epoch();
                    if (h.reset()) {
                        // the spec: resynchronise from the application, continue from s. The tests count it as a failure.
                        last = h.s();
                        acked = Math.min(acked, last);
                    }
                }
                case 1 -> c.send("{\"op\":11,\"d\":{}}");
                case 0 -> {
                    JsonValue sv = o.get("s");
                    if (sv == null) {
                        if ("ECHO".equals(o.getString("t", null))) {
                            echoes.add(o.getJsonObject("d").getString("marker", ""));
                        } else {
                            unnumbered.add("#" + c.id + " " + text);
                        }
                        break;
                    }
                    long s = ((JsonNumber) sv).longValueExact();
                    received.get(c.id).add(s);
                    if (s <= last) {
                        duplicates.add(new Duplicate(s, last, acked, c.id));
                        event("#" + c.id + " duplicate s=" + s + " (last " + last + ", acked " + acked + ")");
                    } else if (s == last + 1) {
                        processed.add(new Delivery(s, o.getString("t", null), o.getJsonObject("d"), c.id));
                        last = s;
                        if (ackEvery > 0 && last - acked >= ackEvery) {
                            c.send("{\"op\":3,\"d\":{\"s\":" + last + "}}");
                            acked = last;
                        }
                        if (processed.size() == abortAfter) {
                            event("#" + c.id + " aborted by the test right after processing s=" + s);
                            autoReconnect = false;
                            current = null;
                            c.ws.abort();
                            return false;
                        }
                    } else {
                        gaps.add(new Gap(c.id, last + 1, s));
                        event("#" + c.id + " GAP: expected s=" + (last + 1) + ", got s=" + s + "; resuming from " + last);
                        current = null;
                        c.ws.abort();
                        scheduleReconnect("gap");
                        return false;
                    }
                }
                default -> event("#" + c.id + " op " + op + ": " + text);
            }
            return true;
        } finally {
            notifyAll();
        }
    }

    private synchronized void ended(Conn c, String how) {
        event("#" + c.id + " " + how + (c == current ? "" : " (already given up)"));
        if (c == current) {
            current = null;
            scheduleReconnect(how);
        }
        notifyAll();
    }

    /** One WebSocket connection and its listener. */
    private final class Conn implements WebSocket.Listener {
        final int id;
        final URI uri;
        volatile WebSocket ws;
        String askedEpoch;
        long askedS;
        private final StringBuilder text = new StringBuilder();
        private final ExecutorService sender;

        Conn(int id, URI uri) {
            this.id = id;
            this.uri = uri;
            this.sender = Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, "resume-client-" + name + "-send-" + id);
                t.setDaemon(true);
                return t;
            });
        }

        /** Sends in order, never blocking the caller (java.net.http allows one outstanding send). */
        void send(String frame) {
            sender.execute(() -> {
                try {
                    ws.sendText(frame, true).get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    synchronized (ResumeClient.this) {
                        event("#" + id + " send failed (" + frame + "): " + e);
                    }
                }
            });
        }

        @Override
        public void onOpen(WebSocket webSocket) {
            ws = webSocket;
            webSocket.request(1);
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean lastPart) {
            text.append(data);
            if (lastPart) {
                String message = text.toString();
                text.setLength(0);
                if (!handle(this, message)) {
                    return null; // given up: read no more
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            ended(this, "closed by the server " + statusCode + " " + reason);
            sender.shutdown();
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            ended(this, "ended with " + error);
            sender.shutdown();
        }
    }
}
