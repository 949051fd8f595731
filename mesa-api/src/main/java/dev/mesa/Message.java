package dev.mesa;

import java.util.Objects;

/**
 * A Mesa message: {@code {"op": opcode, "d": data, "t": type}}.
 *
 * <p>Application messages use opcode {@link #DISPATCH} (0). The data is any value
 * JSON-B can serialise (records, POJOs, maps, lists, strings, numbers,
 * {@code jakarta.json.JsonValue}); on messages received from clients it is a
 * {@code jakarta.json.JsonValue}. Messages are immutable and safe to share between
 * threads and recipients: a message sent to many connections is serialised once.
 *
 * <p>{@link #sync()} is Mesa's per-message {@code {sync: false}} option: a
 * message that is not synced is never stored for a recipient who is offline
 * (use it for typing indicators and other state that is stale by the time the
 * user comes back).
 */
public final class Message {

    /** Opcode of application messages. */
    public static final int DISPATCH = 0;
    /** Opcode of internal server events such as {@code DISCONNECT_CLIENT}. */
    public static final int INTERNAL = 5;

    private final int opcode;
    private final Object data;
    private final String type;
    private final boolean sync;

    /**
     * A message with every field given.
     *
     * @param opcode the opcode; {@link #DISPATCH} for application messages
     * @param data   the data {@code d}; {@code null} is sent as {@code {}}
     * @param type   the type {@code t}, or {@code null} for none
     * @param sync   whether the message may be stored for offline recipients
     */
    public Message(int opcode, Object data, String type, boolean sync) {
        if (opcode < 0) {
            throw new IllegalArgumentException("opcode must not be negative: " + opcode);
        }
        this.opcode = opcode;
        this.data = data;
        this.type = type;
        this.sync = sync;
    }

    /**
     * An application message (op 0) that is synced to offline recipients.
     *
     * @param type the message type {@code t}
     * @param data the data {@code d}
     * @return the message
     */
    public static Message of(String type, Object data) {
        return new Message(DISPATCH, data, Objects.requireNonNull(type, "type"), true);
    }

    /**
     * An application message (op 0) that is never stored for offline
     * recipients (Mesa's {@code {sync: false}}).
     *
     * @param type the message type {@code t}
     * @param data the data {@code d}
     * @return the message
     */
    public static Message transientOf(String type, Object data) {
        return new Message(DISPATCH, data, Objects.requireNonNull(type, "type"), false);
    }

    /** @return the opcode {@code op} */
    public int opcode() {
        return opcode;
    }

    /** @return the data {@code d}; may be {@code null} */
    public Object data() {
        return data;
    }

    /** @return the type {@code t}; may be {@code null} */
    public String type() {
        return type;
    }

    /** @return whether the message may be stored for offline recipients */
    public boolean sync() {
        return sync;
    }

    /**
     * A copy of this message with other data, for interceptors that transform messages.
     *
     * @param newData the new data
     * @return the copy
     */
    public Message withData(Object newData) {
        return new Message(opcode, newData, type, sync);
    }

    @Override
    public String toString() {
        // Payloads can hold personal data: keep them out of logs by default.
        return "Message[op=" + opcode + ", t=" + type + ", sync=" + sync + "]";
    }
}
