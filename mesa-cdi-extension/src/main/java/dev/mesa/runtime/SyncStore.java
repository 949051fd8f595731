package dev.mesa.runtime;

import java.util.List;

import dev.mesa.Message;

/** Where messages for users who are away wait for them. Thread-safe. */
interface SyncStore {

    /** Appends; beyond {@code max} messages the oldest are dropped. @return how many were dropped */
    int append(String user, Message message, int max);

    /** Puts messages back in front, in order (a redelivery that was cut short). */
    void prepend(String user, List<Message> messages);

    /** @return the user's messages, oldest first, removing them */
    List<Message> drain(String user);

    void discard(String user);
}
