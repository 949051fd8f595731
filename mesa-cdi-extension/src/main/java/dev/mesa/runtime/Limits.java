package dev.mesa.runtime;

import java.time.Duration;
import java.util.List;

/**
 * The transport limits of one endpoint, as configured and validated.
 *
 * @param allowedOrigins    allowed {@code Origin} values; empty means "no Origin header, or same origin";
 *                          a single {@code *} allows all
 * @param maxMessageSize    largest inbound message in bytes, across frames
 * @param idleTimeout       close after this long without an inbound frame; zero disables
 * @param outboundQueueSize frames that may wait to be written to one connection
 * @param sendTimeout       longest a single write may take
 */
public record Limits(List<String> allowedOrigins, int maxMessageSize, Duration idleTimeout,
                     int outboundQueueSize, Duration sendTimeout) {

    /** Copies the origin list. */
    public Limits {
        allowedOrigins = List.copyOf(allowedOrigins);
    }

    /** @return whether every origin is allowed */
    public boolean allowsAnyOrigin() {
        return allowedOrigins.contains("*");
    }
}
