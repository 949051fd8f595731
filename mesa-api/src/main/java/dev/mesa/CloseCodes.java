package dev.mesa;

/**
 * The WebSocket close codes a Mesa server uses, and when. Codes below 4000
 * are the standard ones (RFC 6455); 4000 and up are Mesa's own.
 */
public final class CloseCodes {

    /** Normal close: {@link Connection#disconnect()}, or an internal {@code DISCONNECT_CLIENT}. */
    public static final int NORMAL = 1000;
    /** The server is shutting down or the application is being undeployed. */
    public static final int GOING_AWAY = 1001;
    /** Protocol error: unknown or missing {@code op}, or a client version that differs when {@code enforce_equal_versions} is on (as Mesa 1.x). */
    public static final int PROTOCOL_ERROR = 1002;
    /** A binary frame: Mesa speaks JSON text frames only. */
    public static final int UNSUPPORTED_DATA = 1003;
    /** A text frame that is not valid JSON, or not a JSON object. */
    public static final int INVALID_PAYLOAD = 1007;
    /** Authentication failed or timed out, or a message arrived before authentication when it is required (as Mesa 1.x for failures). */
    public static final int POLICY_VIOLATION = 1008;
    /** A message larger than {@code mesa.limits.max-message-size}. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** An unexpected server-side failure. */
    public static final int INTERNAL_ERROR = 1011;
    /** The server cannot serve the connection now (a resume while Redis is unreachable); reconnect later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** The client missed more heartbeats than {@code mesa.heartbeat.max-attempts} allows. */
    public static final int HEARTBEAT_TIMEOUT = 4000;
    /** The client did not read fast enough: its outbound queue ({@code mesa.limits.outbound-queue-size}) overflowed. */
    public static final int SLOW_CONSUMER = 4001;
    /** No frame arrived for {@code mesa.limits.idle-timeout}. */
    public static final int IDLE_TIMEOUT = 4002;

    private CloseCodes() {
    }
}
