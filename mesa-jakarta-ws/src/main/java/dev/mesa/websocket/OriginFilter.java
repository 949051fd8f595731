package dev.mesa.websocket;

import java.io.IOException;
import java.util.Map;
import java.util.logging.Logger;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import dev.mesa.runtime.Limits;

/**
 * Refuses WebSocket handshakes from origins {@code mesa.limits.allowed-origins}
 * does not allow, with HTTP 403, before the container upgrades the connection.
 */
final class OriginFilter implements Filter {

    private static final Logger LOG = Logger.getLogger("dev.mesa");

    private final Map<String, Limits> limitsByPath;

    OriginFilter(Map<String, Limits> limitsByPath) {
        this.limitsByPath = Map.copyOf(limitsByPath);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain) throws IOException, ServletException {
        if (req instanceof HttpServletRequest http && res instanceof HttpServletResponse response) {
            String path = http.getRequestURI().substring(http.getContextPath().length());
            Limits limits = limitsByPath.get(path);
            String origin = http.getHeader("Origin");
            if (limits != null && !Origins.allowed(limits, origin, http.getHeader("Host"))) {
                LOG.info(() -> "Mesa refused a WebSocket handshake on " + path + " from origin " + origin
                        + "; allow it with mesa.limits.allowed-origins");
                response.sendError(HttpServletResponse.SC_FORBIDDEN, "Origin not allowed");
                return;
            }
        }
        chain.doFilter(req, res);
    }
}
