package dev.mesa.runtime;

import java.util.Set;

import dev.mesa.Message;

/**
 * A message on its way to its recipients, serialised once.
 *
 * @param message   the message
 * @param frame     its text frame, shared by every recipient (empty for internal op 5 events)
 * @param audience  who may receive it
 * @param users     the user ids, for {@link Audience#USERS}
 * @param excluding user ids that must not receive it
 */
public record Envelope(Message message, String frame, Audience audience, Set<String> users, Set<String> excluding) {

    /** Copies the sets. */
    public Envelope {
        users = Set.copyOf(users);
        excluding = Set.copyOf(excluding);
    }

    /** Who an envelope is for. */
    public enum Audience {
        /** Every connection; on endpoints that require authentication, the authenticated ones. */
        CONNECTIONS,
        /** Every authenticated connection. */
        AUTHENTICATED,
        /** The connections authenticated as one of {@link Envelope#users()}. */
        USERS
    }
}
