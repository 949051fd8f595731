package dev.mesa.websocket;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;

/**
 * One connection's outbound queue: bounded, written in order by one writer thread
 * at a time, never by the thread that sends. A close request waits behind the
 * frames queued before it.
 *
 * <p>Why blocking writes on writer threads rather than the container's asynchronous
 * send: Liberty hands every asynchronous send to its write selector and its
 * completion to an executor thread, two thread switches per message, which cost
 * more than the write itself; and a connection closing while such a write is in
 * flight holds an executor thread until the completion runs, which needs another
 * executor thread (a close storm starved the pool). A blocking write on a thread of
 * ours is one system call when the socket has room. A client that stops reading
 * holds one writer thread: its queue overflows (4001) or the watchdog sees the
 * write outlast the send timeout ({@link #writingLongerThan}), and the close frees
 * the thread.
 *
 * <p>All state is guarded by {@code this}; writes and closes happen outside the lock.
 */
final class Outbox {

    /** What the outbox drives: blocking writes, one at a time, and the close. */
    interface Writer {
        /** Writes {@code frame}, returning once the container has taken it; throws when the connection failed. */
        void write(String frame) throws IOException;

        /** Closes the connection; never called twice. */
        void close(int code, String reason);
    }

    /** Frames one turn of a writer thread writes before it lets other connections have theirs. */
    static final int BATCH = 64;

    private static final Object CLOSE = new Object();

    private final Writer writer;
    private final int capacity;
    private final int overflowCode;
    private final Executor writers;
    private final Executor closer;
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    private boolean scheduled;
    private boolean closeQueued;
    private boolean closed;
    private int closeCode;
    private String closeReason;
    // When the write in progress began (System.nanoTime, never 0), or 0: read by the watchdog.
    private volatile long writingSince;

    /**
     * @param writers runs the writes: threads that may block on a slow client, never the senders'
     * @param closer  runs every close: never on the caller's thread. A sender may hold locks of its own (a
     *                broadcast in progress) that close callbacks must not meet, and the container's close may
     *                block (Liberty waits for a write in progress, and serialises closes under one lock), which
     *                the shared timer thread (heartbeats, idle timeouts) and container threads must never do
     */
    Outbox(Writer writer, int capacity, int overflowCode, Executor writers, Executor closer) {
        this.writer = writer;
        this.capacity = capacity;
        this.overflowCode = overflowCode;
        this.writers = writers;
        this.closer = closer;
    }

    /** Queues a frame; overflow closes the connection at once. */
    void send(String frame) {
        boolean overflow;
        boolean schedule = false;
        synchronized (this) {
            if (closed || closeQueued) {
                return;
            }
            overflow = queue.size() >= capacity;
            if (overflow) {
                closed = true;
                queue.clear();
            } else {
                queue.addLast(frame);
                schedule = !scheduled;
                scheduled = true;
            }
        }
        if (overflow) {
            // This client does not keep up, and must not hold up anyone else.
            closeLater(overflowCode, "Outbound queue overflow");
        } else if (schedule) {
            writers.execute(this::drain);
        }
    }

    /** Closes once everything queued so far has been written. */
    void close(int code, String reason) {
        boolean schedule;
        synchronized (this) {
            if (closed || closeQueued) {
                return;
            }
            closeQueued = true;
            closeCode = code;
            closeReason = reason;
            queue.addLast(CLOSE);
            schedule = !scheduled;
            scheduled = true;
        }
        if (schedule) {
            writers.execute(this::drain);
        }
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

    /** @return whether a write has been in progress for more than {@code limitNanos} at {@code now} */
    boolean writingLongerThan(long limitNanos, long now) {
        long since = writingSince;
        return since != 0 && now - since > limitNanos;
    }

    private void closeLater(int code, String reason) {
        closer.execute(() -> writer.close(code, reason));
    }

    /** One turn of a writer thread: up to {@link #BATCH} frames, then the rest in a later turn. */
    private void drain() {
        for (int written = 0; ; written++) {
            Object next;
            synchronized (this) {
                if (closed || queue.isEmpty()) {
                    scheduled = false;
                    return;
                }
                if (written == BATCH) {
                    // Still scheduled: the next turn takes over.
                    next = null;
                } else {
                    next = queue.pollFirst();
                    if (next == CLOSE) {
                        closed = true;
                        scheduled = false;
                    }
                }
            }
            if (next == null) {
                writers.execute(this::drain);
                return;
            }
            if (next == CLOSE) {
                closeLater(closeCode, closeReason);
                return;
            }
            writingSince = System.nanoTime() | 1;
            try {
                writer.write((String) next);
            } catch (IOException | RuntimeException e) {
                abort(overflowCode, "Send failed");
                return;
            } finally {
                writingSince = 0;
            }
        }
    }
}
