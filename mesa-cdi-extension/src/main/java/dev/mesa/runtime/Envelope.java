package dev.mesa.runtime;

import java.util.Map;
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
 * @param sequences each logged recipient's sequence for this message (the resume extension); empty if none
 * @param awaitingLog a message another process published without logging it (Node Mesa), which one instance
 *                    logs and publishes again numbered: resuming connections wait for that numbered copy
 */
public record Envelope(Message message, String frame, Audience audience, Set<String> users, Set<String> excluding,
                       Map<String, Long> sequences, boolean awaitingLog) {

    /** Copies the collections. */
    public Envelope {
        users = Set.copyOf(users);
        excluding = Set.copyOf(excluding);
        sequences = Map.copyOf(sequences);
    }

    /** An envelope whose message is not numbered for anyone. */
    public Envelope(Message message, String frame, Audience audience, Set<String> users, Set<String> excluding) {
        this(message, frame, audience, users, excluding, Map.of(), false);
    }

    /** An envelope numbered for the recipients in {@code sequences}. */
    public Envelope(Message message, String frame, Audience audience, Set<String> users, Set<String> excluding,
                    Map<String, Long> sequences) {
        this(message, frame, audience, users, excluding, sequences, false);
    }

    /** @return this envelope with the recipients' sequences */
    public Envelope numbered(Map<String, Long> seqs) {
        return new Envelope(message, frame, audience, users, excluding, seqs, false);
    }

    /** @return this envelope, marked as waiting for an instance to log it */
    public Envelope toBeLogged() {
        return new Envelope(message, frame, audience, users, excluding, sequences, true);
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
