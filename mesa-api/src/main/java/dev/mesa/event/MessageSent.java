package dev.mesa.event;

import dev.mesa.Message;

/**
 * A message was queued on one or more connections of this instance.
 *
 * @param message    the message
 * @param recipients how many connections it was queued on
 */
public record MessageSent(Message message, int recipients) {
}
