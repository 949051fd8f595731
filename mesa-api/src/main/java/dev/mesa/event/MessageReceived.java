package dev.mesa.event;

import dev.mesa.Connection;
import dev.mesa.Message;

/**
 * An application message (op 0) arrived from a client, after interceptors accepted it and before its handler runs.
 *
 * @param connection the sender
 * @param message    the message as the interceptors left it
 */
public record MessageReceived(Connection connection, Message message) {
}
