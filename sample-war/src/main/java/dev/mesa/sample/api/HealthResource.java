package dev.mesa.sample.api;

import dev.mesa.Mesa;
import dev.mesa.sample.Presence;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * {@code GET /api/health} → {@code {"status": "UP", "connections": n, "usersOnline": m}}, both on this
 * instance: with several instances on one Redis, each answers for the connections and users it holds.
 */
@Path("health")
@ApplicationScoped
public class HealthResource {

    @Inject
    Mesa mesa;

    @Inject
    Presence presence;

    /** The health answer; {@code connections} and {@code usersOnline} count this instance only. */
    public record Health(String status, int connections, int usersOnline) {
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Health health() {
        return new Health("UP", mesa.connectionCount(), presence.online().size());
    }
}
