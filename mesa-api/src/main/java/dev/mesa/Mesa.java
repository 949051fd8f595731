package dev.mesa;

import java.util.Collection;
import java.util.Set;

/**
 * The server facade, Mesa's {@code server.send}: inject it with {@code @Inject Mesa}.
 *
 * <p>{@link #send(Message)} reaches every open connection of every endpoint
 * (only the authenticated ones where {@code mesa.authentication.required} is on);
 * the other forms address users like {@link Dispatcher}.
 */
public interface Mesa {

    /**
     * Sends to every connection (Mesa's {@code server.send(message)}).
     *
     * @param message the message
     */
    void send(Message message);

    /**
     * Sends to the connections authenticated as one of {@code ids}
     * ({@code ["*"]}: every authenticated connection).
     *
     * @param message the message
     * @param ids     user ids
     */
    default void send(Message message, Collection<String> ids) {
        send(message, ids, Set.of());
    }

    /**
     * Sends to the connections authenticated as one of {@code ids}, except
     * those authenticated as one of {@code excluding}.
     *
     * @param message   the message
     * @param ids       user ids, or {@code ["*"]} for every authenticated connection
     * @param excluding user ids that must not receive it
     */
    void send(Message message, Collection<String> ids, Collection<String> excluding);

    /** @return the number of open connections on this server instance */
    int connectionCount();
}
