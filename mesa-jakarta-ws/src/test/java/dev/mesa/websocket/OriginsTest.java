package dev.mesa.websocket;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.mesa.runtime.Limits;

class OriginsTest {

    private static Limits origins(String... allowed) {
        return new Limits(List.of(allowed), 1024, Duration.ZERO, 10, Duration.ofSeconds(1));
    }

    @Test
    void defaultAllowsNoOriginAndSameOriginOnly() {
        Limits l = origins();
        assertTrue(Origins.allowed(l, null, "chat.example:9080"));
        assertTrue(Origins.allowed(l, "http://chat.example:9080", "chat.example:9080"));
        assertTrue(Origins.allowed(l, "https://chat.example", "chat.example:443"));
        assertFalse(Origins.allowed(l, "http://evil.example", "chat.example:9080"));
        assertFalse(Origins.allowed(l, "http://chat.example:9081", "chat.example:9080"));
        assertFalse(Origins.allowed(l, "null", "chat.example:9080"));
    }

    @Test
    void anExplicitListIsExactAndStarAllowsAll() {
        Limits l = origins("https://app.example");
        assertTrue(Origins.allowed(l, "https://APP.example", "ws.example"));
        assertFalse(Origins.allowed(l, "https://app.example.evil", "ws.example"));
        assertTrue(Origins.allowed(l, null, "ws.example"));
        assertTrue(Origins.allowed(origins("*"), "http://anything", "ws.example"));
    }
}
