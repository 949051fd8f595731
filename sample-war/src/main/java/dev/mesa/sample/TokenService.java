package dev.mesa.sample;

import dev.mesa.AuthenticationException;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import org.eclipse.microprofile.config.Config;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.logging.Logger;

/**
 * Issues and verifies the sample's login tokens: {@code base64url(payload) "." base64url(HMAC-SHA256(secret, base64url(payload)))}
 * where the payload is the JSON object {@code {"sub": userId, "name": displayName, "exp": epochSeconds}}.
 *
 * <p>Configuration (MicroProfile Config):
 * <ul>
 *   <li>{@code sample.token.secret} (env {@code SAMPLE_TOKEN_SECRET}): the HMAC key, at least 32 characters.
 *       When unset a random key is generated at startup and a warning is logged: tokens then stop working
 *       when the server restarts and are not accepted by a second instance.</li>
 *   <li>{@code sample.token.ttl}: how long a token is valid, default {@value #DEFAULT_TTL}.</li>
 * </ul>
 */
@ApplicationScoped
public class TokenService {

    static final String SECRET_KEY = "sample.token.secret";
    static final String TTL_KEY = "sample.token.ttl";
    static final String DEFAULT_TTL = "12h";
    /** Tokens longer than this are rejected before any work is done. */
    static final int MAX_TOKEN_LENGTH = 1024;
    private static final int MIN_SECRET_LENGTH = 32;
    private static final String HMAC = "HmacSHA256";
    private static final Logger LOG = Logger.getLogger(TokenService.class.getName());
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    @Inject
    Config config;

    private SecretKeySpec key;
    private Duration ttl;
    private Clock clock = Clock.systemUTC();

    /** For CDI. */
    public TokenService() {
    }

    /** For tests: a service with a fixed secret, lifetime and clock. */
    TokenService(byte[] secret, Duration ttl, Clock clock) {
        this.key = new SecretKeySpec(secret, HMAC);
        this.ttl = ttl;
        this.clock = clock;
    }

    @PostConstruct
    void init() {
        String secret = config.getOptionalValue(SECRET_KEY, String.class).map(String::strip).orElse("");
        if (secret.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            key = new SecretKeySpec(random, HMAC);
            LOG.warning(SECRET_KEY + " is not set: using a random secret. Tokens become invalid when the server "
                    + "restarts and are not accepted by other instances; set " + SECRET_KEY
                    + " (or SAMPLE_TOKEN_SECRET) to at least " + MIN_SECRET_LENGTH + " random characters.");
        } else {
            if (secret.length() < MIN_SECRET_LENGTH) {
                LOG.warning(SECRET_KEY + " is shorter than " + MIN_SECRET_LENGTH + " characters: use a longer random value.");
            }
            key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), HMAC);
        }
        ttl = Durations.parse(TTL_KEY, config.getOptionalValue(TTL_KEY, String.class).orElse(DEFAULT_TTL));
    }

    /** Creates the service when the application starts, so that a missing secret is reported right away. */
    void startup(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // nothing: being called makes the container create the bean and run init()
    }

    /** A freshly issued token and when it expires. */
    public record IssuedToken(String token, Instant expiresAt) {
    }

    /**
     * Issues a token for a user.
     *
     * @param user the user
     * @return the token
     */
    public IssuedToken issue(ChatUser user) {
        Instant exp = clock.instant().plus(ttl);
        String payload = Json.createObjectBuilder()
                .add("sub", user.id())
                .add("name", user.name())
                .add("exp", exp.getEpochSecond())
                .build()
                .toString();
        String encoded = B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return new IssuedToken(encoded + "." + B64.encodeToString(sign(encoded)), Instant.ofEpochSecond(exp.getEpochSecond()));
    }

    /**
     * Verifies a token.
     *
     * @param token the token, as sent by the client
     * @return the user it was issued to
     * @throws AuthenticationException when the token is malformed, forged or expired (the message is for the log)
     */
    public ChatUser verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new AuthenticationException("missing or oversized token");
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.') || dot == token.length() - 1) {
            throw new AuthenticationException("malformed token");
        }
        String encodedPayload = token.substring(0, dot);
        byte[] signature;
        byte[] payload;
        try {
            signature = B64D.decode(token.substring(dot + 1));
            payload = B64D.decode(encodedPayload);
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException("malformed token encoding");
        }
        // MessageDigest.isEqual takes the same time wherever the first difference is.
        if (!MessageDigest.isEqual(sign(encodedPayload), signature)) {
            throw new AuthenticationException("bad token signature");
        }
        JsonObject claims;
        try (JsonReader reader = Json.createReader(new StringReader(new String(payload, StandardCharsets.UTF_8)))) {
            claims = reader.readObject();
        } catch (JsonException | IllegalStateException e) {
            throw new AuthenticationException("token payload is not a JSON object");
        }
        JsonValue sub = claims.get("sub");
        JsonValue name = claims.get("name");
        JsonValue exp = claims.get("exp");
        if (!(sub instanceof JsonString s) || !(name instanceof JsonString n) || !(exp instanceof JsonNumber e)) {
            throw new AuthenticationException("token payload lacks sub, name or exp");
        }
        if (!e.isIntegral() || e.longValue() <= clock.instant().getEpochSecond()) {
            throw new AuthenticationException("token expired");
        }
        if (!Names.isUserId(s.getString())) {
            throw new AuthenticationException("token subject is not a valid user id");
        }
        return new ChatUser(s.getString(), n.getString());
    }

    private byte[] sign(String encodedPayload) {
        try {
            Mac mac = Mac.getInstance(HMAC); // Mac is not thread-safe: one per call
            mac.init(key);
            return mac.doFinal(encodedPayload.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JVM", e);
        }
    }
}
