package dev.mesa.event;

import dev.mesa.Connection;

/**
 * A client connected; the hello (op 10) has been queued.
 *
 * @param connection the new connection
 */
public record ConnectionOpened(Connection connection) {
}
