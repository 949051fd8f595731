package dev.mesa.it;

import dev.mesa.it.client.WsClient;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.mesa.it.Deployments.HTTP_PORT;
import static dev.mesa.it.Deployments.ws;
import static dev.mesa.it.TestApps.CORE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Origin checks. /open: default (no Origin header, or the same origin as Host);
 * /origin: a list; /any/origin: "*". A refused handshake is HTTP 403.
 */
class OriginIT extends CoreApp {

    private void assertAccepted(String path, Map<String, String> headers) {
        WsClient.Handshake h = WsClient.tryConnect(ws(CORE, path), headers);
        assertEquals(101, h.status(), path + " " + headers + " must be accepted");
        WsClient c = clients.track(h.client());
        c.hello();
        c.echoRoundTrip("origin-ok");
    }

    private void assertRefused(String path, Map<String, String> headers) {
        WsClient.Handshake h = WsClient.tryConnect(ws(CORE, path), headers);
        if (h.accepted()) {
            clients.track(h.client());
        }
        assertEquals(403, h.status(), path + " " + headers + " must be refused with 403");
    }

    @Test
    void noOriginHeaderIsAcceptedByDefault() {
        assertAccepted("/open", Map.of());
    }

    @Test
    void sameOriginAsHostIsAcceptedByDefault() {
        assertAccepted("/open", Map.of("Origin", "http://127.0.0.1:" + HTTP_PORT));
    }

    @Test
    void foreignOriginIsRefusedByDefault() {
        assertRefused("/open", Map.of("Origin", "http://evil.example"));
    }

    @Test
    void sameHostOtherPortIsRefusedByDefault() {
        assertRefused("/open", Map.of("Origin", "http://127.0.0.1:1"));
    }

    @Test
    void listedOriginsAreAccepted() {
        assertAccepted("/origin", Map.of("Origin", "http://good.example"));
        assertAccepted("/origin", Map.of("Origin", "http://also-good.example:8080"));
    }

    @Test
    void unlistedOriginIsRefused() {
        assertRefused("/origin", Map.of("Origin", "http://evil.example"));
        assertRefused("/origin", Map.of("Origin", "http://good.example.evil.example"));
        assertRefused("/origin", Map.of("Origin", "http://also-good.example"));
    }

    @Test
    void wildcardAcceptsAnyOrigin() {
        assertAccepted("/any/origin", Map.of("Origin", "http://evil.example"));
        assertAccepted("/any/origin", Map.of());
    }

    /** Liberty would create an HTTP session for every handshake; Mesa's never do (one object per connection less). */
    @Test
    void aHandshakeCreatesNoHttpSession() throws Exception {
        String response = rawHandshake("/" + CORE + "/open");
        assertTrue(response.startsWith("HTTP/1.1 101"), response);
        assertFalse(response.toLowerCase(java.util.Locale.ROOT).contains("set-cookie"), "no session cookie:\n" + response);
        // and the connection works
        assertAccepted("/open", Map.of());
    }

    /** The response head of a raw WebSocket handshake (the JDK client does not show it). */
    private static String rawHandshake(String path) throws Exception {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", HTTP_PORT)) {
            socket.setSoTimeout(10_000);
            String request = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + HTTP_PORT + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            StringBuilder head = new StringBuilder();
            java.io.InputStream in = socket.getInputStream();
            while (head.indexOf("\r\n\r\n") < 0) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                head.append((char) b);
            }
            return head.toString();
        }
    }
}
