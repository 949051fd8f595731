package dev.mesa.it.client;

/**
 * How a connection ended.
 *
 * @param code    the close code the server sent, or -1 when the connection failed without a close frame
 * @param reason  the close reason (may be empty)
 * @param atNanos {@link System#nanoTime()} when it happened
 * @param error   the transport error when {@code code == -1}
 */
public record CloseInfo(int code, String reason, long atNanos, Throwable error) {
    @Override
    public String toString() {
        return code == -1 ? "failed: " + error : code + " \"" + reason + "\"";
    }
}
