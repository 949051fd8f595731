package dev.mesa.sample;

import java.util.List;

/**
 * The data ({@code d}) of the messages the server sends; serialised with JSON-B.
 * Times are epoch milliseconds. Absent (null) fields are left out of the JSON.
 */
public final class Payloads {

    private Payloads() {
    }

    /** {@code CHAT}: a line in the global room. */
    public record ChatLine(String id, String from, String name, String text, long at) {
    }

    /** {@code DM}: a direct message, sent to the recipient and to the sender's own connections. */
    public record DirectMessage(String id, String from, String name, String to, String text, long at) {
    }

    /** {@code TYPING}: {@code from} is typing, in the global room when {@code to} is absent. */
    public record Typing(String from, String name, String to) {
    }

    /**
     * {@code PRESENCE}: who is connected to one server instance ({@code instance}: its random id).
     * Each instance sends its own; an empty {@code users} (nobody there, or the instance is stopping)
     * withdraws that instance from the pages' lists.
     */
    public record PresenceList(String instance, List<ChatUser> users) {
    }

    /** {@code ANNOUNCEMENT}: from the admin API or the periodic announcer. */
    public record Announcement(String from, String text, long at) {
    }

    /** {@code ERROR}: the sender's last message was refused; {@code type} is the refused message's type. */
    public record Problem(String code, String message, String type) {
    }
}
