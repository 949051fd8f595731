package dev.mesa.it.app;

import dev.mesa.Connection;
import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnMessage;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * outbound-queue-size=8. {@code FLOOD {"count":n,"size":bytes}} queues n messages of about
 * {@code size} bytes on the sender's own connection in a tight loop; a client that does not read
 * must be closed with 4001. {@link #FLOODS_DONE} counts finished floods (read over REST).
 */
@MesaEndpoint("/flood")
public class FloodEndpoint {

    public static final AtomicInteger FLOODS_DONE = new AtomicInteger();

    @OnMessage("FLOOD")
    void flood(Connection connection, JsonObject d) {
        String pad = "p".repeat(d.getInt("size"));
        for (int i = 0; i < d.getInt("count"); i++) {
            connection.send(Message.of("F", Json.createObjectBuilder().add("i", i).add("pad", pad).build()));
        }
        FLOODS_DONE.incrementAndGet();
    }

    @OnMessage("ECHO")
    Message echo(JsonValue d) {
        return Message.of("ECHO", d);
    }
}
