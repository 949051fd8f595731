package dev.mesa.runtime;

import java.util.List;
import java.util.function.Consumer;

import dev.mesa.Message;

/**
 * Where messages wait for users who are away. Thread-safe. A store backed by
 * a network completes {@link #take} on its own thread.
 */
public interface SyncStore {

    /**
     * Appends; beyond {@code max} messages the oldest are dropped (where the store can count them).
     *
     * @return how many were dropped
     */
    int append(String user, Message message, int max);

    /** Puts messages back in front, in order (a redelivery that was cut short). */
    void putBack(String user, List<Message> messages);

    /** Removes the user's messages and hands them, oldest first, to {@code then} (possibly on another thread). */
    void take(String user, Consumer<List<Message>> then);

    /** Forgets the user's messages. */
    void discard(String user);
}
