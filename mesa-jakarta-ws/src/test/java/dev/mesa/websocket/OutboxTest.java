package dev.mesa.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class OutboxTest {

    /** Tasks handed to an executor, run when the test says so: "a writer thread" or "the closer". */
    static final class Later implements java.util.concurrent.Executor {
        final List<Runnable> tasks = new ArrayList<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        /** Runs what is queued, including what those tasks queue. */
        void runAll() {
            while (!tasks.isEmpty()) {
                tasks.remove(0).run();
            }
        }
    }

    /** Records writes and closes; a write of "fail" throws. */
    static final class RecordingWriter implements Outbox.Writer {
        final List<String> written = new ArrayList<>();
        Integer closeCode;
        int closes;
        Runnable duringWrite = () -> { };

        @Override
        public void write(String frame) throws IOException {
            if ("fail".equals(frame)) {
                throw new IOException("broken pipe");
            }
            written.add(frame);
            duringWrite.run();
        }

        @Override
        public void close(int code, String reason) {
            closes++;
            closeCode = code;
        }
    }

    @Test
    void writesInOrderOnAWriterThreadNeverOnTheSendersThread() {
        RecordingWriter w = new RecordingWriter();
        Later writers = new Later();
        Outbox box = new Outbox(w, 10, 4001, writers, Runnable::run);
        box.send("a");
        box.send("b");
        box.send("c");
        assertEquals(List.of(), w.written, "nothing written on the sender's thread");
        assertEquals(1, writers.tasks.size(), "one turn scheduled for the connection, not one per frame");
        writers.runAll();
        assertEquals(List.of("a", "b", "c"), w.written);
        box.send("d");
        assertEquals(1, writers.tasks.size(), "idle again: the next frame schedules a turn");
        writers.runAll();
        assertEquals(List.of("a", "b", "c", "d"), w.written);
    }

    @Test
    void framesSentDuringATurnAreWrittenInTheSameTurn() {
        RecordingWriter w = new RecordingWriter();
        Later writers = new Later();
        Outbox box = new Outbox(w, 10, 4001, writers, Runnable::run);
        w.duringWrite = () -> {
            if (w.written.size() == 1) {
                box.send("late");
            }
        };
        box.send("first");
        writers.tasks.remove(0).run();
        assertEquals(List.of("first", "late"), w.written);
        assertEquals(List.of(), writers.tasks, "no second turn was scheduled while one ran");
    }

    @Test
    void aLongQueueIsWrittenInTurnsSoOtherConnectionsGetTheirs() {
        RecordingWriter w = new RecordingWriter();
        Later writers = new Later();
        Outbox box = new Outbox(w, 1_000, 4001, writers, Runnable::run);
        for (int i = 0; i < 3 * Outbox.BATCH + 5; i++) {
            box.send("f" + i);
        }
        writers.tasks.remove(0).run();
        assertEquals(Outbox.BATCH, w.written.size(), "one turn writes a batch");
        assertEquals(1, writers.tasks.size(), "and hands the rest to a later turn");
        writers.runAll();
        assertEquals(3 * Outbox.BATCH + 5, w.written.size());
        assertEquals("f" + (3 * Outbox.BATCH + 4), w.written.get(w.written.size() - 1));
    }

    @Test
    void overflowClosesWith4001OnTheCloserAndDropsEverything() {
        RecordingWriter w = new RecordingWriter();
        Later writers = new Later();
        Later closer = new Later();
        Outbox box = new Outbox(w, 2, 4001, writers, closer);
        box.send("1");
        box.send("2");
        box.send("3");
        assertNull(w.closeCode, "nothing closed on the sender's thread");
        closer.runAll();
        assertEquals(4001, w.closeCode);
        writers.runAll();
        box.send("after");
        writers.runAll();
        assertEquals(List.of(), w.written, "nothing of an overflowed queue is written");
        assertEquals(1, w.closes);
    }

    @Test
    void closeWaitsForQueuedFramesAbortDoesNot() {
        RecordingWriter w = new RecordingWriter();
        Later writers = new Later();
        Later closer = new Later();
        Outbox box = new Outbox(w, 10, 4001, writers, closer);
        box.send("bye");
        box.close(1000, "done");
        box.send("too late");
        assertNull(w.closeCode);
        writers.runAll();
        assertEquals(List.of("bye"), w.written, "the close waits for 'bye'");
        closer.runAll();
        assertEquals(1000, w.closeCode);

        RecordingWriter w2 = new RecordingWriter();
        Outbox box2 = new Outbox(w2, 10, 4001, writers, closer);
        box2.send("dropped");
        box2.abort(1008, "policy");
        writers.runAll();
        closer.runAll();
        assertEquals(List.of(), w2.written);
        assertEquals(1008, w2.closeCode);
    }

    /** The shared timer (heartbeats) aborts and closes: the container's close, which may block, runs elsewhere. */
    @Test
    void closesAndAbortsRunOnTheCloserNeverOnTheCallersThread() {
        RecordingWriter w = new RecordingWriter();
        Later writers = new Later();
        Later closer = new Later();
        Outbox box = new Outbox(w, 10, 4001, writers, closer);
        box.close(1000, "bye");
        writers.runAll();
        assertNull(w.closeCode, "close: not on the caller's or the writer's thread");
        RecordingWriter w2 = new RecordingWriter();
        Outbox box2 = new Outbox(w2, 10, 4001, writers, closer);
        box2.abort(4000, "heartbeat");
        assertNull(w2.closeCode, "abort: not on the caller's thread");
        closer.runAll();
        assertEquals(1000, w.closeCode);
        assertEquals(4000, w2.closeCode);
    }

    @Test
    void aFailedWriteClosesTheConnectionAndStopsWriting() {
        RecordingWriter w = new RecordingWriter();
        Later writers = new Later();
        Later closer = new Later();
        Outbox box = new Outbox(w, 10, 4001, writers, closer);
        box.send("ok");
        box.send("fail");
        box.send("never");
        writers.runAll();
        closer.runAll();
        assertEquals(List.of("ok"), w.written);
        assertEquals(4001, w.closeCode);
    }

    @Test
    void aWriteInProgressIsVisibleToTheWatchdogOnlyWhileItLasts() {
        RecordingWriter w = new RecordingWriter();
        Later writers = new Later();
        Outbox box = new Outbox(w, 10, 4001, writers, Runnable::run);
        List<Boolean> seen = new ArrayList<>();
        w.duringWrite = () -> seen.add(box.writingLongerThan(0, System.nanoTime() + 1));
        assertFalse(box.writingLongerThan(0, System.nanoTime()), "nothing written yet");
        box.send("x");
        writers.runAll();
        assertEquals(List.of(true), seen, "during the write");
        assertFalse(box.writingLongerThan(0, System.nanoTime() + 1), "after it");
    }

    /** Real threads: many senders, several writer threads; each connection's frames once, in its order. */
    @Test
    void concurrentSendersAndWriterThreadsKeepEachConnectionsOrder() throws Exception {
        ExecutorService writers = Executors.newFixedThreadPool(4);
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            int connections = 20;
            int each = 500;
            List<List<String>> written = new ArrayList<>();
            List<Outbox> boxes = new ArrayList<>();
            AtomicInteger concurrent = new AtomicInteger();
            AtomicInteger overlap = new AtomicInteger();
            for (int c = 0; c < connections; c++) {
                List<String> out = java.util.Collections.synchronizedList(new ArrayList<>());
                written.add(out);
                AtomicInteger inWrite = new AtomicInteger();
                boxes.add(new Outbox(new Outbox.Writer() {
                    @Override
                    public void write(String frame) {
                        if (inWrite.incrementAndGet() > 1) {
                            overlap.incrementAndGet();
                        }
                        concurrent.incrementAndGet();
                        out.add(frame);
                        inWrite.decrementAndGet();
                    }

                    @Override
                    public void close(int code, String reason) {
                    }
                }, each + 1, 4001, writers, Runnable::run));
            }
            CountDownLatch go = new CountDownLatch(1);
            for (int c = 0; c < connections; c++) {
                Outbox box = boxes.get(c);
                senders.execute(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < each; i++) {
                        box.send(Integer.toString(i));
                    }
                });
            }
            go.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (concurrent.get() < connections * each && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(0, overlap.get(), "never two writes at once on one connection");
            for (List<String> out : written) {
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < each; i++) {
                    expected.add(Integer.toString(i));
                }
                assertEquals(expected, out);
            }
            assertTrue(boxes.stream().allMatch(b -> b.size() == 0));
        } finally {
            writers.shutdownNow();
            senders.shutdownNow();
        }
    }
}
