package dev.mesa.it.app;

import dev.mesa.AuthenticationException;
import dev.mesa.Identity;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * The test authenticator: token {@code "u:<id>"} is user {@code <id>} with user object
 * {@code {"id":<id>,"name":"User <id>"}}; {@code "slow:u:<id>"} is the same after 300 ms
 * (to have frames arrive while authentication is in progress); anything else is rejected.
 */
public final class Users {

    /** The user object sent in op 22. */
    public record User(String id, String name) {
    }

    private Users() {
    }

    public static Identity authenticate(JsonObject credentials) {
        JsonValue token = credentials == null ? null : credentials.get("token");
        if (token == null || token.getValueType() != JsonValue.ValueType.STRING) {
            throw new AuthenticationException("no token");
        }
        String t = credentials.getString("token");
        if (t.startsWith("slow:")) {
            try {
                Thread.sleep(300);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            t = t.substring("slow:".length());
        }
        if (!t.startsWith("u:") || t.length() == 2) {
            throw new AuthenticationException("bad token");
        }
        String id = t.substring(2);
        return new Identity(id, new User(id, "User " + id));
    }
}
