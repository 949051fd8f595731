package dev.mesa.event;

import dev.mesa.Connection;
import dev.mesa.Message;

/**
 * Stored messages are being redelivered to a client that authenticated with {@code shouldSync}.
 *
 * @param connection the connection
 * @param messages   the messages, in the order they are redelivered (their {@code s} is 1..N)
 */
public record MessagesRedelivered(Connection connection, java.util.List<Message> messages) {
}
