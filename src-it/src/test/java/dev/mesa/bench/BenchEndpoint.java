package dev.mesa.bench;

import dev.mesa.AuthenticationException;
import dev.mesa.Identity;
import dev.mesa.Mesa;
import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnAuthenticate;
import dev.mesa.OnMessage;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.regex.Pattern;

/**
 * The Mesa side of the benchmark, {@code ws://host/mesa-bench/bench}, written the way an application would
 * use Mesa (the bare Jakarta WebSocket baseline it is compared with is {@link BareEndpoint}):
 * <ul>
 *   <li>op 2 {@code {"token": "u<i>"}} authenticates as user {@code u<i>} (op 22 {@code {}}); any other
 *       credentials are rejected (close 1008);</li>
 *   <li>{@code BENCH_BROADCAST {"count": C, "size": S}} sends C messages
 *       {@code BENCH {"ts": epoch ms, "seq": 0..C-1, "pad": S × "x"}} to every connection with
 *       {@link Mesa#send(Message)}, one call per message (clamping: {@link BroadcastRequest});</li>
 *   <li>{@code BENCH_ECHO d} answers the sender with {@code BENCH_ECHO} and the same {@code d}.</li>
 * </ul>
 * Targeted sends need no handler: a Dispatcher's publications on Redis reach users {@code u<i>} through
 * Mesa itself when {@code MESA_REDIS_URI} is set.
 */
@MesaEndpoint("/bench")
public class BenchEndpoint {

    private static final Pattern TOKEN = Pattern.compile("u[0-9]+");

    @Inject
    Mesa mesa;

    /** The data of a {@code BENCH} message. */
    public record Bench(double ts, int seq, String pad) {
    }

    @OnAuthenticate
    Identity authenticate(JsonObject credentials) {
        if (credentials.get("token") instanceof JsonString token && TOKEN.matcher(token.getString()).matches()) {
            return Identity.of(token.getString());
        }
        throw new AuthenticationException("the benchmark's tokens are u<i>");
    }

    @OnMessage("BENCH_BROADCAST")
    void broadcast(JsonValue d) {
        BroadcastRequest request = BroadcastRequest.of(d);
        String pad = request.pad();
        for (int seq = 0; seq < request.count(); seq++) {
            mesa.send(Message.of("BENCH", new Bench(BroadcastRequest.nowMillis(), seq, pad)));
        }
    }

    /** A JsonValue parameter is handed over as received, so {@code d} goes back untouched. */
    @OnMessage("BENCH_ECHO")
    Message echo(JsonValue d) {
        return Message.of("BENCH_ECHO", d);
    }
}
