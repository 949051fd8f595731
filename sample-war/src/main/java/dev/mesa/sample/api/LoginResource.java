package dev.mesa.sample.api;

import dev.mesa.sample.ChatUser;
import dev.mesa.sample.Names;
import dev.mesa.sample.TokenService;
import dev.mesa.sample.TokenService.IssuedToken;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * {@code POST /api/login {"name": "Ann"}} → {@code {"token": "...", "userId": "ann", "name": "Ann", "expiresAt": ...}}.
 *
 * <p><strong>This is a demo: there are no passwords.</strong> Anyone can sign in under any name and
 * then is that user. A real application authenticates here (or uses its identity provider's tokens
 * directly in {@code @OnAuthenticate}) and keeps the rest of the flow: issue a signed, expiring token,
 * let the browser send it in op 2.
 */
@Path("login")
@ApplicationScoped
public class LoginResource {

    @Inject
    TokenService tokens;

    /** The login answer. */
    public record LoginResponse(String token, String userId, String name, long expiresAt) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response login(JsonValue body) {
        if (!(body instanceof JsonObject o) || !(o.get("name") instanceof JsonString raw)) {
            return ApiError.response(Response.Status.BAD_REQUEST, "Send {\"name\": \"your name\"}.");
        }
        String name;
        try {
            name = Names.displayName(raw.getString());
        } catch (IllegalArgumentException e) {
            return ApiError.response(Response.Status.BAD_REQUEST, e.getMessage());
        }
        ChatUser user = new ChatUser(Names.userIdFor(name), name);
        IssuedToken issued = tokens.issue(user);
        return Response.ok(new LoginResponse(issued.token(), user.id(), user.name(), issued.expiresAt().toEpochMilli()))
                .header("Cache-Control", "no-store")
                .build();
    }
}
