package dev.mesa.it.cluster.app;

import dev.mesa.it.app.Sends;
import dev.mesa.Dispatcher;
import dev.mesa.Mesa;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.concurrent.CompletionStage;


/** {@code @Inject Dispatcher} from a REST resource, on every instance: {@code /api/cluster/...}. */
@Path("cluster")
@RequestScoped
public class ClusterResource {

    @Inject
    Dispatcher dispatcher;

    @Inject
    Mesa mesa;

    /**
     * {@code {"ids":[...], "excluding":[...], "type":"X", "payload":{...}, "transient":bool}};
     * no ids = {@code dispatch(msg)} (every authenticated connection).
     */
    @POST
    @Path("dispatch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.TEXT_PLAIN)
    public String dispatch(JsonObject body) {
        Sends.dispatch(dispatcher, body);
        return "ok";
    }

    /**
     * Same body as {@link #dispatch}, but through {@link Dispatcher#dispatchAsync}: answers 200 {@code ok} once the
     * stage completes (the message is logged for its recipients and published), 503 with the cause when it completes
     * exceptionally (Redis unreachable). No ids = everyone ({@link Dispatcher#EVERYONE}), as {@code dispatch(msg)}. Asynchronous: the request thread is not held while Redis works.
     */
    @POST
    @Path("dispatch-durable")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.TEXT_PLAIN)
    public CompletionStage<Response> dispatchDurable(JsonObject body) {
        return Sends.dispatchAsync(dispatcher, body)
                .handle((done, failure) -> failure == null
                        ? Response.ok("ok").build()
                        : Response.status(Response.Status.SERVICE_UNAVAILABLE).entity(String.valueOf(failure)).build());
    }


    /** This instance's open connections ({@link Mesa#connectionCount()}). */
    @GET
    @Path("count")
    @Produces(MediaType.TEXT_PLAIN)
    public String count() {
        return Integer.toString(mesa.connectionCount());
    }

    /** The instance name the harness gave this server (env {@code MESA_IT_INSTANCE}). */
    @GET
    @Path("instance")
    @Produces(MediaType.TEXT_PLAIN)
    public String instance() {
        return String.valueOf(System.getenv("MESA_IT_INSTANCE"));
    }

}
