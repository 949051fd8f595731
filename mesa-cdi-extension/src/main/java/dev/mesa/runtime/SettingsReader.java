package dev.mesa.runtime;

import static dev.mesa.MesaConfigKeys.*;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

import org.eclipse.microprofile.config.Config;

/**
 * Reads and validates {@code mesa.*} configuration; every invalid value becomes
 * a {@code MESA-010} (or {@code MESA-013}) problem naming the exact key.
 */
final class SettingsReader {

    private static final String ENDPOINT_PREFIX = "mesa.endpoint.";

    private final Config config;
    private final Problems problems;

    SettingsReader(Config config, Problems problems) {
        this.config = config;
        this.problems = problems;
    }

    AppSettings application() {
        return new AppSettings(
                raw(NAMESPACE, null, NAMESPACE_DEFAULT).value.trim(),
                bool(SYNC_ENABLED, null, SYNC_ENABLED_DEFAULT),
                bool(SYNC_RESUME, null, SYNC_RESUME_DEFAULT),
                integer(SYNC_MAX_MESSAGES, null, SYNC_MAX_MESSAGES_DEFAULT, 1),
                duration(SYNC_RETENTION, null, SYNC_RETENTION_DEFAULT, true),
                bool(AUTHENTICATION_STORE_CONNECTED_USERS, null, AUTHENTICATION_STORE_CONNECTED_USERS_DEFAULT),
                redis());
    }

    /** @return the Redis settings, or {@code null} when none of the three ways to name Redis is used */
    private RedisSettings redis() {
        String uriText = raw(REDIS_URI, null, REDIS_URI_DEFAULT).value.trim();
        String master = raw(REDIS_SENTINEL_MASTER, null, "").value.trim();
        List<String> sentinels = nodes(REDIS_SENTINEL_NODES);
        List<String> cluster = nodes(REDIS_CLUSTER_NODES);
        Duration timeout = duration(REDIS_TIMEOUT, null, REDIS_TIMEOUT_DEFAULT, true);
        Duration presenceTtl = duration(REDIS_PRESENCE_TTL, null, REDIS_PRESENCE_TTL_DEFAULT, true);
        String user = raw(REDIS_USER, null, "").value.trim();
        String password = raw(REDIS_PASSWORD, null, "").value;
        boolean ssl = bool(REDIS_SSL, null, REDIS_SSL_DEFAULT);
        int modes = (uriText.isEmpty() ? 0 : 1) + (master.isEmpty() && sentinels.isEmpty() ? 0 : 1) + (cluster.isEmpty() ? 0 : 1);
        if (modes == 0) {
            return null;
        }
        if (modes > 1) {
            problems.add(Problems.REDIS_CONFLICT, "mesa.redis", "name Redis one way only: " + REDIS_URI + ", or "
                    + REDIS_SENTINEL_MASTER + " with " + REDIS_SENTINEL_NODES + ", or " + REDIS_CLUSTER_NODES);
            return null;
        }
        URI uri = null;
        if (!uriText.isEmpty()) {
            try {
                uri = new URI(uriText);
                if (!("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) || uri.getHost() == null) {
                    throw new IllegalArgumentException();
                }
                String path = uri.getPath();
                if (path != null && !path.isEmpty() && !path.equals("/")) {
                    Integer.parseInt(path.substring(1));
                }
            } catch (Exception e) {
                problems.add(Problems.BAD_CONFIG_VALUE, REDIS_URI, "'" + redact(uriText) + "' is not valid; expected "
                        + "redis://[user:password@]host[:port][/database] or rediss://...");
                return null;
            }
        }
        if (master.isEmpty() != sentinels.isEmpty()) {
            problems.add(Problems.REDIS_CONFLICT, master.isEmpty() ? REDIS_SENTINEL_MASTER : REDIS_SENTINEL_NODES,
                    "Sentinel needs both " + REDIS_SENTINEL_MASTER + " and " + REDIS_SENTINEL_NODES);
            return null;
        }
        return new RedisSettings(uri, master.isEmpty() ? null : master, sentinels, cluster,
                user.isEmpty() ? null : user, password.isEmpty() ? null : password, ssl, timeout, presenceTtl);
    }

    private List<String> nodes(String key) {
        Raw raw = raw(key, null, "");
        List<String> nodes = new ArrayList<>();
        for (String part : raw.value.split(",")) {
            String node = part.trim();
            if (node.isEmpty()) {
                continue;
            }
            int colon = node.lastIndexOf(':');
            boolean ok = colon > 0;
            if (ok) {
                try {
                    int port = Integer.parseInt(node.substring(colon + 1));
                    ok = port > 0 && port < 65536;
                } catch (NumberFormatException e) {
                    ok = false;
                }
            }
            if (ok) {
                nodes.add(node);
            } else {
                problems.add(Problems.BAD_CONFIG_VALUE, raw.key, "'" + node + "' is not host:port");
            }
        }
        return nodes;
    }

    private static String redact(String uri) {
        return uri.replaceAll("//[^@/]*@", "//***@");
    }

    /** Keys that hold for the whole application (see {@link AppSettings}); a per-endpoint value is a mistake. */
    private static final List<String> APPLICATION_WIDE = List.of(
            NAMESPACE, SYNC_ENABLED, SYNC_RESUME, SYNC_MAX_MESSAGES, SYNC_RETENTION, AUTHENTICATION_STORE_CONNECTED_USERS,
            REDIS_URI, REDIS_SENTINEL_MASTER, REDIS_SENTINEL_NODES, REDIS_CLUSTER_NODES, REDIS_USER, REDIS_PASSWORD,
            REDIS_SSL, REDIS_TIMEOUT, REDIS_PRESENCE_TTL);

    Settings endpoint(String name) {
        for (String key : APPLICATION_WIDE) {
            String specific = ENDPOINT_PREFIX + name + "." + key.substring(PREFIX.length());
            if (lookup(specific).isPresent()) {
                problems.add(Problems.BAD_CONFIG_VALUE, specific, "is application-wide and cannot be set per endpoint; set "
                        + key + " instead");
            }
        }
        boolean heartbeat = bool(HEARTBEAT_ENABLED, name, HEARTBEAT_ENABLED_DEFAULT);
        boolean reconnect = bool(RECONNECT_ENABLED, name, RECONNECT_ENABLED_DEFAULT);
        return new Settings(
                heartbeat,
                duration(HEARTBEAT_INTERVAL, name, HEARTBEAT_INTERVAL_DEFAULT, heartbeat),
                integer(HEARTBEAT_MAX_ATTEMPTS, name, HEARTBEAT_MAX_ATTEMPTS_DEFAULT, 0),
                reconnect,
                duration(RECONNECT_INTERVAL, name, RECONNECT_INTERVAL_DEFAULT, reconnect),
                duration(AUTHENTICATION_TIMEOUT, name, AUTHENTICATION_TIMEOUT_DEFAULT, false),
                bool(AUTHENTICATION_REQUIRED, name, AUTHENTICATION_REQUIRED_DEFAULT),
                bool(AUTHENTICATION_SEND_USER_OBJECT, name, AUTHENTICATION_SEND_USER_OBJECT_DEFAULT),
                bool(AUTHENTICATION_DISCONNECT_ON_FAIL, name, AUTHENTICATION_DISCONNECT_ON_FAIL_DEFAULT),
                duration(SYNC_REDELIVERY_INTERVAL, name, SYNC_REDELIVERY_INTERVAL_DEFAULT, false),
                bool(CLIENT_ENFORCE_EQUAL_VERSIONS, name, CLIENT_ENFORCE_EQUAL_VERSIONS_DEFAULT),
                raw(CLIENT_VERSION, name, CLIENT_VERSION_DEFAULT).value.trim(),
                bool(OPTIONS_STORE_MESSAGES, name, OPTIONS_STORE_MESSAGES_DEFAULT),
                new Limits(
                        origins(name),
                        integer(LIMITS_MAX_MESSAGE_SIZE, name, LIMITS_MAX_MESSAGE_SIZE_DEFAULT, 16),
                        duration(LIMITS_IDLE_TIMEOUT, name, LIMITS_IDLE_TIMEOUT_DEFAULT, false),
                        integer(LIMITS_OUTBOUND_QUEUE_SIZE, name, LIMITS_OUTBOUND_QUEUE_SIZE_DEFAULT, 1),
                        duration(LIMITS_SEND_TIMEOUT, name, LIMITS_SEND_TIMEOUT_DEFAULT, true)));
    }

    /** The key a value came from, so problems name what the user actually wrote. */
    private record Raw(String key, String value, boolean fromDefault) {
    }

    private Raw raw(String key, String endpoint, String defaultValue) {
        if (endpoint != null) {
            String specific = ENDPOINT_PREFIX + endpoint + "." + key.substring(PREFIX.length());
            Optional<String> v = lookup(specific);
            if (v.isPresent()) {
                return new Raw(specific, v.get(), false);
            }
        }
        return lookup(key).map(v -> new Raw(key, v, false)).orElse(new Raw(key, defaultValue, true));
    }

    private Optional<String> lookup(String key) {
        try {
            return config.getOptionalValue(key, String.class);
        } catch (RuntimeException e) {
            // An empty env var or an unresolvable expression: report it like any bad value.
            problems.add(Problems.BAD_CONFIG_VALUE, key, "cannot be read (" + e.getMessage() + ")");
            return Optional.empty();
        }
    }

    private boolean bool(String key, String endpoint, String defaultValue) {
        return parse(raw(key, endpoint, defaultValue), "true or false", v -> switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw new IllegalArgumentException();
        }, Boolean.parseBoolean(defaultValue));
    }

    private int integer(String key, String endpoint, String defaultValue, int min) {
        return parse(raw(key, endpoint, defaultValue), "a whole number of at least " + min, v -> {
            int n = Integer.parseInt(v);
            if (n < min) {
                throw new IllegalArgumentException();
            }
            return n;
        }, Integer.parseInt(defaultValue));
    }

    private Duration duration(String key, String endpoint, String defaultValue, boolean positive) {
        String accepted = (positive ? "a positive duration" : "a duration")
                + " such as 500ms, 10s, 5m, 1h or ISO-8601 (PT10S)" + (positive ? "" : "; 0 disables");
        return parse(raw(key, endpoint, defaultValue), accepted, v -> {
            Duration d = Durations.parse(v);
            if (positive && d.isZero()) {
                throw new IllegalArgumentException();
            }
            return d;
        }, Durations.parse(defaultValue));
    }

    private <T> T parse(Raw raw, String accepted, Function<String, T> parser, T fallback) {
        try {
            return parser.apply(raw.value.trim());
        } catch (RuntimeException e) {
            problems.add(Problems.BAD_CONFIG_VALUE, raw.key,
                    "'" + raw.value + "' is not valid; expected " + accepted);
            return fallback;
        }
    }

    private List<String> origins(String endpoint) {
        Raw raw = raw(LIMITS_ALLOWED_ORIGINS, endpoint, LIMITS_ALLOWED_ORIGINS_DEFAULT);
        List<String> origins = new ArrayList<>();
        for (String part : raw.value.split(",")) {
            String origin = part.trim();
            if (origin.isEmpty()) {
                continue;
            }
            if (origin.equals("*") || isOrigin(origin)) {
                origins.add(origin.equals("*") ? origin : origin.toLowerCase(Locale.ROOT));
            } else {
                problems.add(Problems.BAD_ORIGIN, raw.key, "'" + origin
                        + "' is not an origin; write scheme://host or scheme://host:port (no path), or * for any");
            }
        }
        return origins;
    }

    private static boolean isOrigin(String value) {
        try {
            URI uri = new URI(value);
            return uri.getScheme() != null && uri.getHost() != null
                    && (uri.getPath() == null || uri.getPath().isEmpty())
                    && uri.getQuery() == null && uri.getFragment() == null && uri.getUserInfo() == null;
        } catch (Exception e) {
            return false;
        }
    }
}
