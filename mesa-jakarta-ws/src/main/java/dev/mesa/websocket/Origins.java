package dev.mesa.websocket;

import java.net.URI;
import java.util.Locale;

import dev.mesa.runtime.Limits;

/** The origin policy of {@code mesa.limits.allowed-origins}. */
final class Origins {

    private Origins() {
    }

    /**
     * @param origin the Origin header, or {@code null} when absent
     * @param host   the Host header, or {@code null} when unknown (then same-origin cannot be judged and passes)
     */
    static boolean allowed(Limits limits, String origin, String host) {
        if (origin == null || origin.isEmpty() || limits.allowsAnyOrigin()) {
            return true;
        }
        String normalized = origin.trim().toLowerCase(Locale.ROOT);
        if (!limits.allowedOrigins().isEmpty()) {
            return limits.allowedOrigins().contains(normalized);
        }
        if (host == null) {
            return true;
        }
        try {
            URI uri = new URI(normalized);
            String authority = uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
            String h = host.trim().toLowerCase(Locale.ROOT);
            return authority != null && (authority.equals(h) || authority.equals(withoutDefaultPort(h, uri.getScheme())));
        } catch (Exception e) {
            return false;
        }
    }

    private static String withoutDefaultPort(String host, String scheme) {
        if (("http".equals(scheme) || "ws".equals(scheme)) && host.endsWith(":80")) {
            return host.substring(0, host.length() - 3);
        }
        if (("https".equals(scheme) || "wss".equals(scheme)) && host.endsWith(":443")) {
            return host.substring(0, host.length() - 4);
        }
        return host;
    }
}
