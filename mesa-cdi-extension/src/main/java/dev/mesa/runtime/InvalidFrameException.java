package dev.mesa.runtime;

/** An inbound frame the protocol cannot accept; carries the close code to answer it with. */
final class InvalidFrameException extends Exception {

    private static final long serialVersionUID = 1L;

    private final int closeCode;

    InvalidFrameException(int closeCode, String reason) {
        super(reason, null, false, false);
        this.closeCode = closeCode;
    }

    int closeCode() {
        return closeCode;
    }
}
