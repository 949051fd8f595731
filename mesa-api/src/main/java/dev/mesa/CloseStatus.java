package dev.mesa;

/**
 * Why a connection closed: the WebSocket close code and reason.
 *
 * @param code   the close code (see {@link CloseCodes})
 * @param reason the close reason, possibly empty, never {@code null}
 */
public record CloseStatus(int code, String reason) {

    /**
     * Normalises a {@code null} reason to empty.
     */
    public CloseStatus {
        reason = reason == null ? "" : reason;
    }
}
