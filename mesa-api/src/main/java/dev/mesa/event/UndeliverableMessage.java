package dev.mesa.event;

import dev.mesa.Message;

/**
 * A synced message was addressed to users who are not connected; it was stored for them.
 *
 * @param message the message
 * @param userIds the recipients it was stored for
 */
public record UndeliverableMessage(Message message, java.util.List<String> userIds) {
}
