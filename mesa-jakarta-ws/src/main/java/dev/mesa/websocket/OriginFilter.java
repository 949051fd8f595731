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
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import dev.mesa.runtime.Limits;

/**
 * Refuses WebSocket handshakes from origins {@code mesa.limits.allowed-origins}
 * does not allow, with HTTP 403, before the container upgrades the connection;
 * and keeps the handshake from creating an HTTP session.
 *
 * <p>Liberty asks every WebSocket handshake for its HTTP session, which creates one
 * when the client has none: an object per connection that outlives it (until the
 * session times out, 30 minutes by default), a cookie, a lock on the session id
 * generator, and the session context activated around every message. A Mesa
 * connection carries its identity itself, so a handshake gets the client's
 * existing session, if any, and never a new one.
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
            if (limits != null) {
                chain.doFilter(new NoNewSession(http), res);
                return;
            }
        }
        chain.doFilter(req, res);
    }

    /** The handshake request, with {@code getSession()} answering like {@code getSession(false)}. */
    private static final class NoNewSession extends HttpServletRequestWrapper {

        NoNewSession(HttpServletRequest request) {
            super(request);
        }

        @Override
        public HttpSession getSession() {
            return super.getSession(false);
        }

        @Override
        public HttpSession getSession(boolean create) {
            return super.getSession(false);
        }
    }
}
