package dev.mesa.event;

import dev.mesa.Connection;

/**
 * A client authenticated (op 2 accepted); sent after op 22 was queued.
 *
 * @param connection the connection, now carrying its user id and user object
 */
public record Authenticated(Connection connection) {
}
