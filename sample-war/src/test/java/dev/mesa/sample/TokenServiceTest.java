package dev.mesa.sample;

import dev.mesa.AuthenticationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenServiceTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private final ChatUser ann = new ChatUser("ann", "Ann");

    private static TokenService at(Instant now) {
        return new TokenService(SECRET, Duration.ofHours(1), Clock.fixed(now, ZoneOffset.UTC));
    }

    @Test
    void issuedTokenVerifies() {
        TokenService.IssuedToken issued = at(NOW).issue(ann);
        assertEquals(NOW.plus(Duration.ofHours(1)), issued.expiresAt());
        assertEquals(ann, at(NOW.plusSeconds(3599)).verify(issued.token()));
    }

    @Test
    void expiredTokenIsRejected() {
        String token = at(NOW).issue(ann).token();
        assertThrows(AuthenticationException.class, () -> at(NOW.plusSeconds(3600)).verify(token));
    }

    @Test
    void tokenSignedWithAnotherSecretIsRejected() {
        String token = new TokenService("another-secret-another-secret-xx".getBytes(StandardCharsets.UTF_8),
                Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC)).issue(ann).token();
        assertThrows(AuthenticationException.class, () -> at(NOW).verify(token));
    }

    @Test
    void tamperedPayloadIsRejected() {
        String token = at(NOW).issue(ann).token();
        String signature = token.substring(token.indexOf('.'));
        String forged = Base64.getUrlEncoder().withoutPadding().encodeToString(
                "{\"sub\":\"bob\",\"name\":\"Bob\",\"exp\":9999999999}".getBytes(StandardCharsets.UTF_8));
        assertThrows(AuthenticationException.class, () -> at(NOW).verify(forged + signature));
    }

    @Test
    void garbageIsRejected() {
        TokenService tokens = at(NOW);
        for (String bad : new String[] {null, "", ".", "abc", "a.b.c", "!!!.???", "abc.", ".abc", "x".repeat(5000)}) {
            assertThrows(AuthenticationException.class, () -> tokens.verify(bad), String.valueOf(bad));
        }
    }

    @Test
    void namesAndIds() {
        assertEquals("ann-marie", Names.userIdFor(Names.displayName("  Ann Marie ")));
        assertEquals("zoë", Names.userIdFor(Names.displayName("Zoë")));
        assertTrue(Names.isUserId("ann-marie"));
        assertTrue(Names.isUserId(Names.userIdFor(Names.displayName("अनिल"))));
        assertThrows(IllegalArgumentException.class, () -> Names.displayName("<script>"));
        assertThrows(IllegalArgumentException.class, () -> Names.displayName(" "));
        assertThrows(IllegalArgumentException.class, () -> Names.displayName("x".repeat(33)));
        assertTrue(!Names.isUserId("Ann") && !Names.isUserId("") && !Names.isUserId("a b") && !Names.isUserId("*"));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMinutes(5), Durations.parse("k", "5m"));
        assertEquals(Duration.ofMillis(500), Durations.parse("k", "500ms"));
        assertEquals(Duration.ofMillis(1500), Durations.parse("k", "1500"));
        assertEquals(Duration.ofSeconds(10), Durations.parse("k", "PT10S"));
        assertEquals(Duration.ZERO, Durations.parse("k", "0"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("k", "soon"));
    }
}
