package dev.mesa;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

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

    /**
     * Sends like {@link #dispatch(Message, Collection, Collection)}, and says when the message is safe.
     * The stage completes once the message is logged for its recipients (the resume extension's log) and
     * handed to the other instances; it completes exceptionally when that cannot happen (Redis unreachable),
     * so the caller can report the failure or retry. It never blocks: a REST resource can return it.
     *
     * <p>On a single instance, and for implementations without a shared log, it completes at once.
     *
     * @param message    the message
     * @param recipients user ids, or {@code ["*"]} for everyone authenticated
     * @param excluding  user ids that must not receive it
     * @return a stage that completes when the message is durable
     */
    default CompletionStage<Void> dispatchAsync(Message message, Collection<String> recipients, Collection<String> excluding) {
        dispatch(message, recipients, excluding);
        return CompletableFuture.completedFuture(null);
    }
}
