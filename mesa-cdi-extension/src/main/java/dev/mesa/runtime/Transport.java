package dev.mesa.runtime;

/**
 * What the engine needs from one client connection's transport. Implemented by
 * the transport binding; every method may be called from any thread and must
 * never block.
 */
public interface Transport {

    /**
     * Queues one text frame for writing. Frames are written in the order
     * queued, one write at a time. When the queue is full the transport closes
     * the connection with {@link dev.mesa.CloseCodes#SLOW_CONSUMER} and drops
     * the frame; once closed, frames are dropped.
     *
     * @param frame a complete JSON text frame
     */
    void send(String frame);

    /**
     * Closes the connection after the frames already queued have been written.
     *
     * @param code   the close code
     * @param reason the close reason (at most 123 bytes of UTF-8)
     */
    void close(int code, String reason);

    /**
     * Closes the connection now, dropping whatever is still queued; for
     * protocol violations and slow consumers.
     *
     * @param code   the close code
     * @param reason the close reason (at most 123 bytes of UTF-8)
     */
    void abort(int code, String reason);
}
