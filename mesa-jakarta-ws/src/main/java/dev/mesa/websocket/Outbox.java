package dev.mesa.websocket;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One connection's outbound queue: bounded, with at most one write in flight.
 * A frame is written when the previous write completed, in queue order; a
 * close request waits behind the frames queued before it.
 *
 * <p>All state is guarded by {@code this}; the writes themselves happen outside
 * the lock, so a completion callback that runs on the calling thread cannot deadlock.
 */
final class Outbox {

    /** What the outbox drives: one asynchronous write at a time, and the close. */
    interface Writer {
        /** Starts writing {@code frame}; {@code done} is called once with {@code null} or the failure. */
        void write(String frame, Consumer<Throwable> done);

        /** Closes the connection; never called twice. */
        void close(int code, String reason);
    }

    private static final Object CLOSE = new Object();
    private static final int WRITING = 0;
    private static final int COMPLETED_INLINE = 1;
    private static final int RETURNED = 2;

    private final Writer writer;
    private final int capacity;
    private final int overflowCode;
    private final Executor closer;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean writing;
    private boolean closeQueued;
    private boolean closed;
    private int closeCode;
    private String closeReason;

    /**
     * @param closer runs every close: never on the caller's thread. A sender may hold locks of its own (a
     *               broadcast in progress) that close callbacks must not meet, and the container's close may
     *               block (Liberty waits for a write in progress, and serialises closes under one lock), which
     *               the shared timer thread (heartbeats, idle timeouts) and container threads must never do
     */
    Outbox(Writer writer, int capacity, int overflowCode, Executor closer) {
        this.writer = writer;
        this.capacity = capacity;
        this.overflowCode = overflowCode;
        this.closer = closer;
    }

    /** Queues a frame; overflow closes the connection at once. */
    void send(String frame) {
        boolean overflow;
        synchronized (this) {
            if (closed || closeQueued) {
                return;
            }
            overflow = queue.size() >= capacity;
            if (!overflow) {
                queue.addLast(frame);
                if (writing) {
                    return;
                }
                writing = true;
            } else {
                closed = true;
                queue.clear();
            }
        }
        if (!overflow) {
            pump();
        } else {
            // The queue was full: this client does not keep up, and must not hold up anyone else.
            closeLater(overflowCode, "Outbound queue overflow");
        }
    }

    /** Closes once everything queued so far has been written. */
    void close(int code, String reason) {
        synchronized (this) {
            if (closed || closeQueued) {
                return;
            }
            closeQueued = true;
            closeCode = code;
            closeReason = reason;
            queue.addLast(CLOSE);
            if (writing) {
                return;
            }
            writing = true;
        }
        pump();
    }

    /** Closes now, dropping what is queued. */
    void abort(int code, String reason) {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
        }
        closeLater(code, reason);
    }

    private void closeLater(int code, String reason) {
        closer.execute(() -> writer.close(code, reason));
    }

    /** @return frames waiting to be written */
    synchronized int size() {
        return queue.size();
    }

    /** Called by the transport when the connection closed from either side. */
    void closed() {
        synchronized (this) {
            closed = true;
            queue.clear();
        }
    }

    /**
     * Writes the head of the queue; the completion writes the next one. A write
     * that completes before {@code write} returns is continued by this loop, not
     * by recursion, so a long queue cannot overflow the stack.
     */
    private void pump() {
        for (;;) {
            Object next;
            synchronized (this) {
                next = closed ? null : queue.pollFirst();
                if (next == null) {
                    writing = false;
                    return;
                }
                if (next == CLOSE) {
                    closed = true;
                    writing = false;
                }
            }
            if (next == CLOSE) {
                closeLater(closeCode, closeReason);
                return;
            }
            AtomicInteger state = new AtomicInteger(WRITING);
            writer.write((String) next, failure -> {
                if (failure != null) {
                    abort(overflowCode, "Send failed or timed out");
                } else if (!state.compareAndSet(WRITING, COMPLETED_INLINE)) {
                    pump();
                }
            });
            if (state.compareAndSet(WRITING, RETURNED)) {
                return;
            }
        }
    }
}
