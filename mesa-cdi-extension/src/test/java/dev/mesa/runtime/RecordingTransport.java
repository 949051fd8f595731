package dev.mesa.runtime;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import jakarta.json.Json;
import jakarta.json.JsonObject;

/** A transport that records what the engine sends, and how it closes. */
final class RecordingTransport implements Transport {

    private final List<String> frames = new ArrayList<>();
    private int closeCode;
    private String closeReason;
    private boolean aborted;
    private InboundHandler handler;

    static RecordingTransport open(EndpointRuntime endpoint) {
        RecordingTransport t = new RecordingTransport();
        t.handler = endpoint.open(t);
        return t;
    }

    @Override
    public synchronized void send(String frame) {
        if (closeCode == 0) {
            frames.add(frame);
            notifyAll();
        }
    }

    @Override
    public synchronized void close(int code, String reason) {
        if (closeCode == 0) {
            closeCode = code;
            closeReason = reason;
            notifyAll();
        }
        // A real container reports the close back; so do we.
        handler.onClose(code, reason);
    }

    @Override
    public void abort(int code, String reason) {
        synchronized (this) {
            aborted = true;
        }
        close(code, reason);
    }

    void text(String frame) {
        handler.onText(frame);
    }

    void text(Object... keysAndValues) {
        var b = Json.createObjectBuilder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            Object v = keysAndValues[i + 1];
            if (v instanceof Integer n) {
                b.add((String) keysAndValues[i], n);
            } else if (v instanceof String s) {
                b.add((String) keysAndValues[i], s);
            } else {
                b.add((String) keysAndValues[i], (jakarta.json.JsonValue) v);
            }
        }
        text(b.build().toString());
    }

    synchronized List<String> frames() {
        return List.copyOf(frames);
    }

    synchronized List<JsonObject> json() {
        return frames.stream().map(f -> Json.createReader(new java.io.StringReader(f)).readObject()).toList();
    }

    synchronized int closeCode() {
        return closeCode;
    }

    synchronized String closeReason() {
        return closeReason;
    }

    /** Waits (bounded) until a frame matches; returns it. */
    synchronized JsonObject await(Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        for (;;) {
            for (JsonObject o : json()) {
                if (match.test(o)) {
                    return o;
                }
            }
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no matching frame within " + timeout + "; got " + frames + " close=" + closeCode);
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Waits (bounded) for the close; returns its code. */
    synchronized int awaitClose(Duration timeout) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (closeCode == 0) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("not closed within " + timeout + "; frames " + frames);
            }
            wait(Math.max(1, left / 1_000_000));
        }
        return closeCode;
    }

    synchronized boolean aborted() {
        return aborted;
    }
}
