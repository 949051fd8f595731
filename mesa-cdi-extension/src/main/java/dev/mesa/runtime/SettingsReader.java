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
                integer(SYNC_MAX_MESSAGES, null, SYNC_MAX_MESSAGES_DEFAULT, 1),
                bool(AUTHENTICATION_STORE_CONNECTED_USERS, null, AUTHENTICATION_STORE_CONNECTED_USERS_DEFAULT));
    }

    /** Keys that hold for the whole application (see {@link AppSettings}); a per-endpoint value is a mistake. */
    private static final java.util.List<String> APPLICATION_WIDE = java.util.List.of(
            NAMESPACE, SYNC_ENABLED, SYNC_MAX_MESSAGES, AUTHENTICATION_STORE_CONNECTED_USERS);

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
