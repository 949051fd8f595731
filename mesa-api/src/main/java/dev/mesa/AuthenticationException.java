package dev.mesa;

/**
 * Thrown by an {@link OnAuthenticate} method to reject a client's credentials.
 * The message is logged; it is never sent to the client.
 */
public class AuthenticationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param message why the credentials were rejected, for the server log
     */
    public AuthenticationException(String message) {
        super(message);
    }
}
