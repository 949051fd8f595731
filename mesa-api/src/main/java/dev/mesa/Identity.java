package dev.mesa;

import java.util.Objects;

/**
 * The outcome of a successful {@link OnAuthenticate}: who the client is.
 *
 * @param id   the user id; messages addressed to this id reach every connection
 *             authenticated with it. Never {@code null} or blank.
 * @param user the user object, sent to the client in op 22 when
 *             {@code mesa.authentication.send-user-object} is on; serialised
 *             with JSON-B. {@code null} is sent as {@code {}}.
 */
public record Identity(String id, Object user) {

    /**
     * Validates the id.
     *
     * @throws IllegalArgumentException when the id is null or blank
     */
    public Identity {
        Objects.requireNonNull(id, "id");
        if (id.isBlank()) {
            throw new IllegalArgumentException("Identity id must not be blank");
        }
    }

    /**
     * An identity whose user object is empty.
     *
     * @param id the user id
     * @return the identity
     */
    public static Identity of(String id) {
        return new Identity(id, null);
    }
}
