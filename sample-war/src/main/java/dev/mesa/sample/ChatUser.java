package dev.mesa.sample;

/**
 * A chat user: the {@code user} object of the Mesa {@link dev.mesa.Identity}, sent to the
 * client in op 22 and shown in the user list.
 *
 * @param id   the user id Mesa addresses messages to (derived from the name, see {@link Names})
 * @param name the display name
 */
public record ChatUser(String id, String name) {
}
