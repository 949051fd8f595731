package dev.mesa.event;

import dev.mesa.Connection;

/**
 * A handler, interceptor or the transport failed.
 *
 * @param connection the connection concerned, or {@code null} when none
 * @param error      what went wrong
 */
public record MesaError(Connection connection, Throwable error) {
}
