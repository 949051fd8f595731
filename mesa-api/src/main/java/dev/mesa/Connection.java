package dev.mesa;

import java.util.Map;
import java.util.Optional;

/**
 * One client's WebSocket connection to a {@link MesaEndpoint}.
 *
 * <p>Thread-safe. {@link #send(Message)} never blocks: the message is queued and
 * written asynchronously, one write at a time; a client that does not read fast
 * enough to keep its queue within {@code mesa.limits.outbound-queue-size} is
 * closed with {@link CloseCodes#SLOW_CONSUMER}.
 */
public interface Connection {

    /** @return a server-generated id, unique among this server's connections */
    String connectionId();

    /** @return the path of the endpoint this connection belongs to */
    String endpointPath();

    /** @return the user id once authenticated; empty before */
    Optional<String> userId();

    /** @return the user object of the last successful authentication, or {@code null} */
    Object user();

    /** @return whether the client has authenticated */
    boolean isAuthenticated();

    /** @return whether the connection is still open */
    boolean isOpen();

    /**
     * Sends a message to this connection only.
     *
     * @param message the message
     */
    void send(Message message);

    /** Closes the connection with {@link CloseCodes#NORMAL}. */
    void disconnect();

    /**
     * Closes the connection.
     *
     * @param code   the close code, 1000 or 3000–4999
     * @param reason the reason, at most 123 bytes in UTF-8
     */
    void disconnect(int code, String reason);

    /** @return a thread-safe map for the application's per-connection state */
    Map<String, Object> attributes();
}
