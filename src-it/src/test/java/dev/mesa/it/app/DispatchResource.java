package dev.mesa.it.app;

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

/** Proves {@code @Inject Dispatcher} / {@code @Inject Mesa} work outside endpoints. */
@Path("mesa")
@RequestScoped
public class DispatchResource {

    @Inject
    Dispatcher dispatcher;

    @Inject
    Mesa mesa;

    /** {@code {"ids":[...], "excluding":[...], "type":"X", "payload":{...}}}; no ids = {@code dispatch(msg)}. */
    @POST
    @Path("dispatch")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.TEXT_PLAIN)
    public String dispatch(JsonObject body) {
        Sends.dispatch(dispatcher, body);
        return "ok";
    }

    @GET
    @Path("floods")
    @Produces(MediaType.TEXT_PLAIN)
    public String floods() {
        return Integer.toString(FloodEndpoint.FLOODS_DONE.get());
    }

    @GET
    @Path("count")
    @Produces(MediaType.TEXT_PLAIN)
    public String count() {
        return Integer.toString(mesa.connectionCount());
    }
}
