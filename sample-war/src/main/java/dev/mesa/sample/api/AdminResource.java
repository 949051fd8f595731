package dev.mesa.sample.api;

import dev.mesa.Dispatcher;
import dev.mesa.Message;
import dev.mesa.sample.Payloads.Announcement;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.Config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.logging.Logger;

/**
 * {@code POST /api/admin/broadcast {"text": "..."}} with header {@code X-Admin-Key}: sends everyone an
 * {@code ANNOUNCEMENT} through the {@link Dispatcher}.
 *
 * <p>The key is {@code sample.admin.key} (env {@code SAMPLE_ADMIN_KEY}). When it is not set the
 * endpoint is disabled: every request gets 403.
 */
@Path("admin")
@ApplicationScoped
public class AdminResource {

    static final String ADMIN_KEY = "sample.admin.key";
    static final int MAX_TEXT_LENGTH = 1000;
    private static final Logger LOG = Logger.getLogger(AdminResource.class.getName());

    @Inject
    Config config;

    @Inject
    Dispatcher dispatcher;

    @PostConstruct
    void init() {
        if (adminKey() == null) {
            LOG.info(ADMIN_KEY + " is not set: POST /api/admin/broadcast answers 403.");
        }
    }

    @POST
    @Path("broadcast")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response broadcast(@HeaderParam("X-Admin-Key") String key, JsonValue body) {
        if (!authorized(key)) {
            return ApiError.response(Response.Status.FORBIDDEN, "Forbidden.");
        }
        String text = body instanceof JsonObject o && o.get("text") instanceof JsonString s ? s.getString().strip() : "";
        if (text.isEmpty() || text.codePointCount(0, text.length()) > MAX_TEXT_LENGTH) {
            return ApiError.response(Response.Status.BAD_REQUEST,
                    "Send {\"text\": \"...\"} with 1 to " + MAX_TEXT_LENGTH + " characters.");
        }
        dispatcher.dispatch(Message.of("ANNOUNCEMENT", new Announcement("admin", text, System.currentTimeMillis())));
        return Response.accepted(Map.of("status", "sent")).build();
    }

    private boolean authorized(String given) {
        String expected = adminKey();
        if (expected == null || given == null) {
            return false;
        }
        // Hash both so that neither the position of a difference nor the key's length leaks through timing.
        return MessageDigest.isEqual(sha256(given), sha256(expected));
    }

    private String adminKey() {
        return config.getOptionalValue(ADMIN_KEY, String.class).map(String::strip).filter(k -> !k.isEmpty()).orElse(null);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
