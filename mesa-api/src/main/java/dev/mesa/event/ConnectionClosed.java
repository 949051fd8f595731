package dev.mesa.event;

import dev.mesa.CloseStatus;
import dev.mesa.Connection;

/**
 * A connection closed, for whatever reason.
 *
 * @param connection the connection, no longer open
 * @param status     the close code and reason
 */
public record ConnectionClosed(Connection connection, CloseStatus status) {
}
