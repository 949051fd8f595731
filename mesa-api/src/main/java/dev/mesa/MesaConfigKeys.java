package dev.mesa;

/**
 * Every configuration key Mesa reads, with its default, in one place.
 *
 * <p>Keys are read through MicroProfile Config, so they can be set in
 * {@code META-INF/microprofile-config.properties}, as system properties, or as
 * environment variables ({@code mesa.heartbeat.interval} is
 * {@code MESA_HEARTBEAT_INTERVAL}). Every key can be overridden for one endpoint
 * by inserting {@code endpoint.<name>.} after {@code mesa.}
 * ({@code mesa.endpoint.chat.heartbeat.interval=5s}) except the application-wide
 * ones: {@link #NAMESPACE}, {@link #SYNC_ENABLED}, {@link #SYNC_MAX_MESSAGES},
 * {@link #AUTHENTICATION_STORE_CONNECTED_USERS} and the {@code mesa.redis.*} keys
 * (a user is one user across endpoints, so whether their messages are kept
 * cannot depend on the endpoint; and all endpoints share one broker).
 *
 * <p>Durations accept {@code 500ms}, {@code 10s}, {@code 5m}, {@code 1h}, a bare
 * number of milliseconds, and ISO-8601 ({@code PT10S}). Values are validated when
 * the application deploys; a bad one fails the deployment with {@code MESA-010}
 * naming the key.
 */
public final class MesaConfigKeys {

    /** Prefix of every key. */
    public static final String PREFIX = "mesa.";

    /** Send heartbeats (op 1) and close clients that stop answering. Default {@value #HEARTBEAT_ENABLED_DEFAULT} (Mesa's default). */
    public static final String HEARTBEAT_ENABLED = "mesa.heartbeat.enabled";
    /** Default of {@link #HEARTBEAT_ENABLED}. */
    public static final String HEARTBEAT_ENABLED_DEFAULT = "false";

    /** Time between heartbeats; announced to clients as {@code c_heartbeat_interval}. Default {@value #HEARTBEAT_INTERVAL_DEFAULT}. */
    public static final String HEARTBEAT_INTERVAL = "mesa.heartbeat.interval";
    /** Default of {@link #HEARTBEAT_INTERVAL}. */
    public static final String HEARTBEAT_INTERVAL_DEFAULT = "10s";

    /** Heartbeats a client may leave unanswered in a row; one more closes it with 4000. Default {@value #HEARTBEAT_MAX_ATTEMPTS_DEFAULT}. */
    public static final String HEARTBEAT_MAX_ATTEMPTS = "mesa.heartbeat.max-attempts";
    /** Default of {@link #HEARTBEAT_MAX_ATTEMPTS}. */
    public static final String HEARTBEAT_MAX_ATTEMPTS_DEFAULT = "3";

    /** Tell clients to reconnect after a close ({@code c_reconnect_interval} in hello). Default {@value #RECONNECT_ENABLED_DEFAULT}. */
    public static final String RECONNECT_ENABLED = "mesa.reconnect.enabled";
    /** Default of {@link #RECONNECT_ENABLED}. */
    public static final String RECONNECT_ENABLED_DEFAULT = "false";

    /** How long clients wait between reconnection attempts. Default {@value #RECONNECT_INTERVAL_DEFAULT}. */
    public static final String RECONNECT_INTERVAL = "mesa.reconnect.interval";
    /** Default of {@link #RECONNECT_INTERVAL}. */
    public static final String RECONNECT_INTERVAL_DEFAULT = "5s";

    /**
     * Time a client has, from the moment its socket opens, to authenticate;
     * announced as {@code c_authentication_timeout}, and enforced (close 1008)
     * when {@link #AUTHENTICATION_REQUIRED} is on. {@code 0} disables it.
     * Default {@value #AUTHENTICATION_TIMEOUT_DEFAULT}.
     */
    public static final String AUTHENTICATION_TIMEOUT = "mesa.authentication.timeout";
    /** Default of {@link #AUTHENTICATION_TIMEOUT}. */
    public static final String AUTHENTICATION_TIMEOUT_DEFAULT = "10s";

    /**
     * Only authenticated clients count: before authenticating, a client may send
     * only op 2, op 11 and {@code CLIENT_VERSION} (anything else closes it with
     * 1008), and global sends skip it. Needs an {@link OnAuthenticate} method.
     * Default {@value #AUTHENTICATION_REQUIRED_DEFAULT}.
     */
    public static final String AUTHENTICATION_REQUIRED = "mesa.authentication.required";
    /** Default of {@link #AUTHENTICATION_REQUIRED}. */
    public static final String AUTHENTICATION_REQUIRED_DEFAULT = "false";

    /** Send the user object in op 22 (rule {@code sends_user_object}). Default {@value #AUTHENTICATION_SEND_USER_OBJECT_DEFAULT}. */
    public static final String AUTHENTICATION_SEND_USER_OBJECT = "mesa.authentication.send-user-object";
    /** Default of {@link #AUTHENTICATION_SEND_USER_OBJECT}. */
    public static final String AUTHENTICATION_SEND_USER_OBJECT_DEFAULT = "true";

    /** Close a client whose authentication fails, with 1008. When off, the client stays connected and unauthenticated. Default {@value #AUTHENTICATION_DISCONNECT_ON_FAIL_DEFAULT}. */
    public static final String AUTHENTICATION_DISCONNECT_ON_FAIL = "mesa.authentication.disconnect-on-fail";
    /** Default of {@link #AUTHENTICATION_DISCONNECT_ON_FAIL}. */
    public static final String AUTHENTICATION_DISCONNECT_ON_FAIL_DEFAULT = "true";

    /** Track which users are connected (Mesa's {@code connected_clients}); message sync needs it. Default {@value #AUTHENTICATION_STORE_CONNECTED_USERS_DEFAULT}. */
    public static final String AUTHENTICATION_STORE_CONNECTED_USERS = "mesa.authentication.store-connected-users";
    /** Default of {@link #AUTHENTICATION_STORE_CONNECTED_USERS}. */
    public static final String AUTHENTICATION_STORE_CONNECTED_USERS_DEFAULT = "true";

    /**
     * Store synced messages addressed to users who are not connected, and
     * redeliver them when the user next authenticates with {@code shouldSync}.
     * Needs an {@link OnAuthenticate} method and {@link #AUTHENTICATION_STORE_CONNECTED_USERS}.
     * Default {@value #SYNC_ENABLED_DEFAULT}.
     */
    public static final String SYNC_ENABLED = "mesa.sync.enabled";
    /** Default of {@link #SYNC_ENABLED}. */
    public static final String SYNC_ENABLED_DEFAULT = "false";

    /** Pause between two redelivered messages. Default {@value #SYNC_REDELIVERY_INTERVAL_DEFAULT}. */
    public static final String SYNC_REDELIVERY_INTERVAL = "mesa.sync.redelivery-interval";
    /** Default of {@link #SYNC_REDELIVERY_INTERVAL}. */
    public static final String SYNC_REDELIVERY_INTERVAL_DEFAULT = "0ms";

    /**
     * Most messages stored per offline user, and most messages the resume
     * extension's log keeps per user; the oldest are dropped beyond it.
     * Default {@value #SYNC_MAX_MESSAGES_DEFAULT}.
     */
    public static final String SYNC_MAX_MESSAGES = "mesa.sync.max-messages";
    /** Default of {@link #SYNC_MAX_MESSAGES}. */
    public static final String SYNC_MAX_MESSAGES_DEFAULT = "1000";

    /**
     * Offer the resume extension (rule {@code resume}; see docs/resume.md) when
     * sync is on. It logs every synced message addressed to a user, up to
     * {@link #SYNC_MAX_MESSAGES} per user for {@link #SYNC_RETENTION}; turn it off
     * when every client is a Mesa 1.x client to save that memory.
     * Default {@value #SYNC_RESUME_DEFAULT}. Application-wide.
     */
    public static final String SYNC_RESUME = "mesa.sync.resume";
    /** Default of {@link #SYNC_RESUME}. */
    public static final String SYNC_RESUME_DEFAULT = "true";

    /**
     * How long the per-user log of the resume extension keeps a message its
     * user has not acknowledged (it also keeps at most {@link #SYNC_MAX_MESSAGES}
     * per user). Default {@value #SYNC_RETENTION_DEFAULT}. Application-wide.
     */
    public static final String SYNC_RETENTION = "mesa.sync.retention";
    /** Default of {@link #SYNC_RETENTION}. */
    public static final String SYNC_RETENTION_DEFAULT = "24h";

    /** Require clients to send {@code CLIENT_VERSION} equal to {@link #CLIENT_VERSION} (rule {@code enforce_equal_versions}); a mismatch closes with 1002. Default {@value #CLIENT_ENFORCE_EQUAL_VERSIONS_DEFAULT}. */
    public static final String CLIENT_ENFORCE_EQUAL_VERSIONS = "mesa.client.enforce-equal-versions";
    /** Default of {@link #CLIENT_ENFORCE_EQUAL_VERSIONS}. */
    public static final String CLIENT_ENFORCE_EQUAL_VERSIONS_DEFAULT = "false";

    /** The client version required when {@link #CLIENT_ENFORCE_EQUAL_VERSIONS} is on. Default {@value #CLIENT_VERSION_DEFAULT}. */
    public static final String CLIENT_VERSION = "mesa.client.version";
    /** Default of {@link #CLIENT_VERSION}. */
    public static final String CLIENT_VERSION_DEFAULT = "1.5.8";

    /** Advertise rule {@code store_messages}: clients keep the messages they send and receive. The server keeps no history. Default {@value #OPTIONS_STORE_MESSAGES_DEFAULT}. */
    public static final String OPTIONS_STORE_MESSAGES = "mesa.options.store-messages";
    /** Default of {@link #OPTIONS_STORE_MESSAGES}. */
    public static final String OPTIONS_STORE_MESSAGES_DEFAULT = "false";

    /** Mesa's namespace: suffix of the Redis keys and channels shared with other Mesa servers and Dispatchers. Application-wide only. Default empty. */
    public static final String NAMESPACE = "mesa.namespace";
    /** Default of {@link #NAMESPACE}. */
    public static final String NAMESPACE_DEFAULT = "";

    /**
     * The Redis server that replicates messages between the instances of the
     * application and holds what is shared (who is connected, stored messages):
     * {@code redis://[user:password@]host[:port][/database]}, or {@code rediss://} for TLS.
     * Empty (the default) with no Sentinel or Cluster nodes: a single instance,
     * everything in memory. Application-wide.
     */
    public static final String REDIS_URI = "mesa.redis.uri";
    /** Default of {@link #REDIS_URI}. */
    public static final String REDIS_URI_DEFAULT = "";

    /** The master name of a Sentinel-managed Redis; use with {@link #REDIS_SENTINEL_NODES} instead of {@link #REDIS_URI}. Application-wide. */
    public static final String REDIS_SENTINEL_MASTER = "mesa.redis.sentinel.master";

    /** Sentinels, comma-separated {@code host:port}s. Application-wide. */
    public static final String REDIS_SENTINEL_NODES = "mesa.redis.sentinel.nodes";

    /** Seed nodes of a Redis Cluster, comma-separated {@code host:port}s, instead of {@link #REDIS_URI}. Application-wide. */
    public static final String REDIS_CLUSTER_NODES = "mesa.redis.cluster.nodes";

    /** ACL user for Sentinel and Cluster mode (standalone takes it from the URI). Application-wide. */
    public static final String REDIS_USER = "mesa.redis.user";

    /** Password for Sentinel and Cluster mode (standalone takes it from the URI). Application-wide. */
    public static final String REDIS_PASSWORD = "mesa.redis.password";

    /** TLS for Sentinel and Cluster mode (standalone: {@code rediss://}). Default {@value #REDIS_SSL_DEFAULT}. Application-wide. */
    public static final String REDIS_SSL = "mesa.redis.ssl";
    /** Default of {@link #REDIS_SSL}. */
    public static final String REDIS_SSL_DEFAULT = "false";

    /** Connect and read timeout for Redis commands. Default {@value #REDIS_TIMEOUT_DEFAULT}. Application-wide. */
    public static final String REDIS_TIMEOUT = "mesa.redis.timeout";
    /** Default of {@link #REDIS_TIMEOUT}. */
    public static final String REDIS_TIMEOUT_DEFAULT = "2s";

    /**
     * How long an instance counts as holding its users and connections in Redis
     * without refreshing that (it refreshes every third of it). An instance that
     * dies without shutting down stops counting within about 4/3 of this.
     * Default {@value #REDIS_PRESENCE_TTL_DEFAULT}. Application-wide.
     */
    public static final String REDIS_PRESENCE_TTL = "mesa.redis.presence-ttl";
    /** Default of {@link #REDIS_PRESENCE_TTL}. */
    public static final String REDIS_PRESENCE_TTL_DEFAULT = "15s";

    /**
     * Origins allowed to open a connection, comma-separated
     * ({@code https://chat.example.com,http://localhost:9080}); {@code *} allows
     * every origin. Empty (the default) allows clients that send no
     * {@code Origin} header (non-browser clients) and same-origin pages only.
     * A refused handshake gets HTTP 403.
     */
    public static final String LIMITS_ALLOWED_ORIGINS = "mesa.limits.allowed-origins";
    /** Default of {@link #LIMITS_ALLOWED_ORIGINS}. */
    public static final String LIMITS_ALLOWED_ORIGINS_DEFAULT = "";

    /** Largest inbound message, in bytes, across all its frames; larger closes with 1009. Default {@value #LIMITS_MAX_MESSAGE_SIZE_DEFAULT}. */
    public static final String LIMITS_MAX_MESSAGE_SIZE = "mesa.limits.max-message-size";
    /** Default of {@link #LIMITS_MAX_MESSAGE_SIZE}. */
    public static final String LIMITS_MAX_MESSAGE_SIZE_DEFAULT = "65536";

    /** Close a connection that sent nothing for this long, with 4002; {@code 0} disables it. Default {@value #LIMITS_IDLE_TIMEOUT_DEFAULT}. */
    public static final String LIMITS_IDLE_TIMEOUT = "mesa.limits.idle-timeout";
    /** Default of {@link #LIMITS_IDLE_TIMEOUT}. */
    public static final String LIMITS_IDLE_TIMEOUT_DEFAULT = "5m";

    /** Messages that may wait to be written to one connection; one more closes it with 4001. Default {@value #LIMITS_OUTBOUND_QUEUE_SIZE_DEFAULT}. */
    public static final String LIMITS_OUTBOUND_QUEUE_SIZE = "mesa.limits.outbound-queue-size";
    /** Default of {@link #LIMITS_OUTBOUND_QUEUE_SIZE}. */
    public static final String LIMITS_OUTBOUND_QUEUE_SIZE_DEFAULT = "1024";

    /** Longest one write to a client may take before the connection is closed with 4001. Default {@value #LIMITS_SEND_TIMEOUT_DEFAULT}. */
    public static final String LIMITS_SEND_TIMEOUT = "mesa.limits.send-timeout";
    /** Default of {@link #LIMITS_SEND_TIMEOUT}. */
    public static final String LIMITS_SEND_TIMEOUT_DEFAULT = "30s";

    private MesaConfigKeys() {
    }
}
