package dev.mesa.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

class OutboxTest {

    /** A writer whose writes complete when the test says so (or at once, when inline). */
    static final class ManualWriter implements Outbox.Writer {
        final List<String> written = new ArrayList<>();
        final List<Consumer<Throwable>> pending = new ArrayList<>();
        final boolean inline;
        int inFlight;
        int maxInFlight;
        Integer closeCode;
        int closes;

        ManualWriter(boolean inline) {
            this.inline = inline;
        }

        @Override
        public void write(String frame, Consumer<Throwable> done) {
            written.add(frame);
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            if (inline) {
                inFlight--;
                done.accept(null);
            } else {
                pending.add(done);
            }
        }

        void complete() {
            inFlight--;
            pending.remove(0).accept(null);
        }

        @Override
        public void close(int code, String reason) {
            closes++;
            closeCode = code;
        }
    }

    @Test
    void writesOneAtATimeInOrder() {
        ManualWriter w = new ManualWriter(false);
        Outbox box = new Outbox(w, 10, 4001, Runnable::run);
        box.send("a");
        box.send("b");
        box.send("c");
        assertEquals(List.of("a"), w.written);
        assertEquals(2, box.size());
        w.complete();
        w.complete();
        w.complete();
        assertEquals(List.of("a", "b", "c"), w.written);
        assertEquals(1, w.maxInFlight);
        assertEquals(0, box.size());
    }

    @Test
    void overflowClosesWith4001AndDropsEverything() {
        ManualWriter w = new ManualWriter(false);
        Outbox box = new Outbox(w, 2, 4001, Runnable::run);
        box.send("in flight");
        box.send("q1");
        box.send("q2");
        assertNull(w.closeCode);
        box.send("one too many");
        assertEquals(4001, w.closeCode);
        assertEquals(0, box.size());
        box.send("after close");
        w.complete();
        assertEquals(List.of("in flight"), w.written, "nothing is written after an overflow");
        assertEquals(1, w.closes);
    }

    @Test
    void closeWaitsForQueuedFramesAbortDoesNot() {
        ManualWriter w = new ManualWriter(false);
        Outbox box = new Outbox(w, 10, 4001, Runnable::run);
        box.send("a");
        box.send("bye");
        box.close(1000, "done");
        box.send("ignored");
        assertNull(w.closeCode);
        w.complete();
        assertNull(w.closeCode, "the close waits for 'bye'");
        w.complete();
        assertEquals(1000, w.closeCode);
        assertEquals(List.of("a", "bye"), w.written);

        ManualWriter w2 = new ManualWriter(false);
        Outbox box2 = new Outbox(w2, 10, 4001, Runnable::run);
        box2.send("a");
        box2.send("dropped");
        box2.abort(1008, "now");
        assertEquals(1008, w2.closeCode);
        w2.complete();
        assertEquals(List.of("a"), w2.written);
    }

    @Test
    void writesThatCompleteInlineDoNotGrowTheStack() {
        ManualWriter w = new ManualWriter(true);
        Outbox box = new Outbox(w, 1_000_000, 4001, Runnable::run);
        // Fill the queue behind a first write held back, then let everything complete inline.
        ManualWriter held = new ManualWriter(false);
        Outbox heldBox = new Outbox(new Outbox.Writer() {
            boolean first = true;

            @Override
            public void write(String frame, Consumer<Throwable> done) {
                if (first) {
                    first = false;
                    held.write(frame, done);
                } else {
                    w.write(frame, done);
                }
            }

            @Override
            public void close(int code, String reason) {
            }
        }, 1_000_000, 4001, Runnable::run);
        for (int i = 0; i < 200_000; i++) {
            heldBox.send("f" + i);
        }
        held.complete();
        assertEquals(199_999, w.written.size());
        assertEquals("f199999", w.written.get(w.written.size() - 1));
        box.send("x");
        assertTrue(w.written.contains("x"));
    }

    /** The shared timer (heartbeats) aborts and closes: the container's close, which may block, runs elsewhere. */
    @Test
    void closesAndAbortsRunOnTheCloserNeverOnTheCallersThread() {
        ManualWriter w = new ManualWriter(true);
        List<Runnable> later = new ArrayList<>();
        Outbox box = new Outbox(w, 10, 4001, later::add);
        box.close(1000, "bye");
        assertNull(w.closeCode, "close: not on the caller's thread");
        ManualWriter w2 = new ManualWriter(true);
        Outbox box2 = new Outbox(w2, 10, 4001, later::add);
        box2.abort(4000, "heartbeat");
        assertNull(w2.closeCode, "abort: not on the caller's thread");
        later.forEach(Runnable::run);
        assertEquals(1000, w.closeCode);
        assertEquals(4000, w2.closeCode);
    }

    @Test
    void theOverflowCloseRunsOnTheCloserNotTheSendersThread() {
        ManualWriter w = new ManualWriter(false);
        List<Runnable> later = new ArrayList<>();
        Outbox box = new Outbox(w, 1, 4001, later::add);
        box.send("in flight");
        box.send("queued");
        box.send("overflow");
        assertNull(w.closeCode, "nothing closed on the sender's thread");
        assertEquals(1, later.size());
        later.get(0).run();
        assertEquals(4001, w.closeCode);
        box.send("after");
        assertEquals(List.of("in flight"), w.written);
    }

    @Test
    void aFailedWriteClosesTheConnection() {
        List<Integer> codes = new ArrayList<>();
        Outbox box = new Outbox(new Outbox.Writer() {
            @Override
            public void write(String frame, Consumer<Throwable> done) {
                done.accept(new java.io.IOException("send timeout"));
            }

            @Override
            public void close(int code, String reason) {
                codes.add(code);
            }
        }, 10, 4001, Runnable::run);
        box.send("a");
        box.send("b");
        assertEquals(List.of(4001), codes);
    }
}
