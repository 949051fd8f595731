package dev.mesa.runtime;

/**
 * What the transport binding tells the engine about one connection. The binding
 * calls these methods one at a time per connection (as the Jakarta WebSocket
 * container does), never concurrently.
 */
public interface InboundHandler {

    /**
     * A complete text message arrived; size limits have already been enforced.
     *
     * @param text the message
     */
    void onText(String text);

    /**
     * The connection closed (by either side). Called exactly once.
     *
     * @param code   the close code
     * @param reason the close reason, possibly empty
     */
    void onClose(int code, String reason);

    /**
     * The transport failed; {@link #onClose(int, String)} follows if the failure closed the connection.
     *
     * @param error the failure
     */
    void onError(Throwable error);
}
