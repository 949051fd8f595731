package dev.mesa.bench;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * The data of a {@code BENCH_BROADCAST} request, {@code {"count": C, "size": S}}, read the same way by both
 * benchmark endpoints so that they do exactly the same work: each number is truncated to an integer and
 * clamped to {@code 0..MAX}; a missing, negative or non-numeric value (or a {@code d} that is not an object)
 * counts as 0, so a bad request sends nothing and never fails.
 *
 * @param count messages to send to every connection, {@code 0..}{@value #MAX_COUNT}
 * @param size  length of each message's {@code pad}, {@code 0..}{@value #MAX_SIZE}
 */
public record BroadcastRequest(int count, int size) {

    /** Largest count honoured: a typo must not make the server queue millions of frames per client. */
    public static final int MAX_COUNT = 100_000;
    /** Largest pad honoured (64 KiB). */
    public static final int MAX_SIZE = 65_536;

    /** Reads and clamps a request's {@code d}. */
    public static BroadcastRequest of(JsonValue d) {
        JsonObject o = d instanceof JsonObject object ? object : JsonValue.EMPTY_JSON_OBJECT;
        return new BroadcastRequest(clamp(o.get("count"), MAX_COUNT), clamp(o.get("size"), MAX_SIZE));
    }

    /** The {@code pad} of this request's messages: built once per request, shared by all of them. */
    public String pad() {
        return "x".repeat(size);
    }

    /**
     * The {@code ts} of a message: epoch milliseconds with the sub-millisecond part, so that clients can
     * measure latencies below a millisecond against their own clock.
     */
    public static double nowMillis() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1000.0 + now.getNano() / 1e6;
    }

    private static int clamp(JsonValue value, int max) {
        if (!(value instanceof JsonNumber number)) {
            return 0;
        }
        // BigDecimal, not intValue(): 1e12 must clamp to max rather than wrap around.
        BigDecimal n = number.bigDecimalValue();
        if (n.signum() <= 0) {
            return 0;
        }
        return n.compareTo(BigDecimal.valueOf(max)) >= 0 ? max : n.intValue();
    }
}
