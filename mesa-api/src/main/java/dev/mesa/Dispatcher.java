package dev.mesa;

import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Sends messages to users from anywhere in the application: an EJB, a REST
 * resource, a scheduled task. Inject it with {@code @Inject Dispatcher}.
 *
 * <p>Recipients are user ids (as returned by {@link OnAuthenticate}); the
 * recipient {@link #EVERYONE} ({@code "*"}) means every authenticated
 * connection. A message reaches every connection of a recipient on every
 * {@link MesaEndpoint} of the application. With message sync enabled, a
 * synced message to a user who is not connected is stored and redelivered
 * when the user next authenticates.
 *
 * <p>Non-blocking: the message is serialised once and queued on each recipient
 * connection.
 */
public interface Dispatcher {

    /** The recipient that stands for every authenticated connection. */
    String EVERYONE = "*";

    /**
     * Sends to every authenticated connection (Mesa's {@code dispatch(message)}).
     *
     * @param message the message
     */
    default void dispatch(Message message) {
        dispatch(message, List.of(EVERYONE), Set.of());
    }

    /**
     * Sends to the given users.
     *
     * @param message    the message
     * @param recipients user ids, or {@code ["*"]} for everyone authenticated
     */
    default void dispatch(Message message, Collection<String> recipients) {
        dispatch(message, recipients, Set.of());
    }

    /**
     * Sends to the given users except the excluded ones. Unlike Mesa 1.x,
     * exclusions also apply to {@code ["*"]}.
     *
     * @param message    the message
     * @param recipients user ids, or {@code ["*"]} for everyone authenticated
     * @param excluding  user ids that must not receive it
     */
    void dispatch(Message message, Collection<String> recipients, Collection<String> excluding);
}
