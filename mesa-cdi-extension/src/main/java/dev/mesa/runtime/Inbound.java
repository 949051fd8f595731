package dev.mesa.runtime;

import jakarta.json.JsonValue;

/**
 * A parsed client frame.
 *
 * @param op   the opcode
 * @param data {@code d}, {@link JsonValue#NULL} when absent
 * @param type {@code t}, or {@code null}
 * @param sync the client's {@code o.sync} option (default true)
 */
record Inbound(int op, JsonValue data, String type, boolean sync) {
}
