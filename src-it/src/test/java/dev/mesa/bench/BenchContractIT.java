package dev.mesa.bench;

import dev.mesa.it.Clients;
import dev.mesa.it.Deployments;
import dev.mesa.it.J;
import dev.mesa.it.client.CloseInfo;
import dev.mesa.it.client.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;

import java.net.URI;
import java.util.List;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The benchmark's contract, on both of its endpoints ({@code /bench} on Mesa, {@code /bare} on plain Jakarta
 * WebSocket), in the very WAR the benchmark deploys ({@link BenchWar}, without Redis): a benchmark whose
 * servers answer differently measures nothing. Correctness only; no timing is asserted.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class BenchContractIT {

    private static final List<String> PATHS = List.of("/bench", "/bare");
    /** How far a message's ts may be from this machine's clock (same machine, generous for slow CI). */
    private static final double TS_TOLERANCE_MS = 10_000;

    private final Clients clients = new Clients();

    @Deployment(testable = false)
    static WebArchive war() {
        return BenchWar.war();
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @Test
    void helloOfEachEndpoint() {
        JsonObject bench = clients.connect(uri("/bench")).hello();
        assertEquals(J.obj("{'op':10,'d':{'c_heartbeat_interval':10000,'c_authentication_timeout':10000,"
                + "'rules':['sends_user_object']}}"), bench, "heartbeats every 10 s, Mesa's defaults otherwise");
        assertEquals(J.obj("{'op':10,'d':{}}"), clients.connect(uri("/bare")).hello());
    }

    @Test
    void tokenUiAuthenticatesWithAnEmptyUserObject() {
        onBoth(path -> {
            WsClient c = clients.connected(uri(path));
            c.authenticate("u17", true);
            assertEquals(J.obj("{'op':22,'d':{}}"), c.next());
        });
    }

    @Test
    void benchRejectsCredentialsThatAreNotUi() {
        for (JsonValue credentials : List.of(J.value("{'token':'u:1'}"), J.value("{'token':'x1'}"), J.value("{'token':'u'}"),
                J.value("{'token':17}"), J.value("{}"), J.value("{'shouldSync':true}"))) {
            WsClient c = clients.connected(uri("/bench"));
            c.send(Json.createObjectBuilder().add("op", 2).add("d", credentials).build());
            CloseInfo close = c.awaitClose();
            assertEquals(1008, close.code(), () -> credentials + " must be rejected: " + close);
            assertEquals(List.of(), c.unread(), () -> "no op 22 for " + credentials);
        }
    }

    @Test
    void broadcastReachesEveryClientInOrder() {
        onBoth(path -> {
            WsClient sender = authenticated(path, "u1");
            WsClient other = authenticated(path, "u2");
            double before = System.currentTimeMillis();
            sender.dispatch("BENCH_BROADCAST", J.value("{'count':3,'size':5}"));
            for (WsClient c : List.of(sender, other)) {
                expectBench(c, 3, 5, before);
                echoBarrier(c, path + " after the burst");
            }
        });
    }

    @Test
    void sizeIsClampedTo64KiB() {
        onBoth(path -> {
            WsClient c = authenticated(path, "u3");
            c.dispatch("BENCH_BROADCAST", J.value("{'count':1,'size':70000}"));
            expectBench(c, 1, BroadcastRequest.MAX_SIZE, System.currentTimeMillis() - TS_TOLERANCE_MS);
            echoBarrier(c, path + " after the clamped message");
        });
    }

    @Test
    void badOrMissingNumbersCountAsZero() {
        onBoth(path -> {
            WsClient c = authenticated(path, "u4");
            for (String d : List.of("{'count':-5,'size':10}", "{'size':10}", "{'count':'3','size':1}", "{}", "null", "[1,2]")) {
                c.dispatch("BENCH_BROADCAST", J.value(d));
                echoBarrier(c, path + " nothing for " + d); // the echo must be the very next frame
            }
            c.send(J.obj("{'op':0,'t':'BENCH_BROADCAST'}")); // no d at all
            echoBarrier(c, path + " nothing without d");
            c.dispatch("BENCH_BROADCAST", J.value("{'count':2,'size':-3}"));
            expectBench(c, 2, 0, System.currentTimeMillis() - TS_TOLERANCE_MS);
            c.dispatch("BENCH_BROADCAST", J.value("{'count':1.9,'size':2.5}"));
            expectBench(c, 1, 2, System.currentTimeMillis() - TS_TOLERANCE_MS);
            echoBarrier(c, path + " still open");
        });
    }

    @Test
    void echoReturnsTheSameData() {
        onBoth(path -> {
            WsClient c = authenticated(path, "u5");
            for (String d : List.of("{'a':[1,2.50,-3e2,'x',null,true,{}],'n':{'deep':'\\u00fc \\\" \\\\ \\n'}}", "'text'", "42", "null")) {
                JsonValue data = J.value(d);
                c.dispatch("BENCH_ECHO", data);
                JsonObject echo = c.next();
                assertEquals("BENCH_ECHO", echo.getString("t"), path + ": " + echo);
                assertEquals(0, echo.getInt("op"), path + ": " + echo);
                assertEquals(data, echo.get("d"), path + ": the echo of " + d);
            }
        });
    }

    // ---------------------------------------------------------------------------------------------------

    private static URI uri(String path) {
        return Deployments.ws(BenchWar.APP, path);
    }

    private WsClient authenticated(String path, String token) {
        WsClient c = clients.connected(uri(path));
        c.authenticate(token, true);
        JsonObject ack = c.next();
        assertEquals(22, ack.getInt("op", -1), () -> path + ": " + ack);
        return c;
    }

    /** The next {@code count} frames are BENCH seq 0..count-1 with a {@code size}-long pad and a plausible ts. */
    private static void expectBench(WsClient c, int count, int size, double notBefore) {
        String pad = "x".repeat(size);
        double previous = notBefore - 1;
        for (int seq = 0; seq < count; seq++) {
            JsonObject f = c.next();
            assertEquals(0, f.getInt("op", -1), () -> "op of " + f);
            assertEquals("BENCH", f.getString("t", null), () -> "t of " + f);
            JsonObject d = f.getJsonObject("d");
            assertEquals(seq, d.getInt("seq"), "seq, in order");
            assertEquals(pad, d.getString("pad"), "pad of " + size + " x");
            double ts = ((JsonNumber) d.get("ts")).doubleValue();
            double now = System.currentTimeMillis();
            assertTrue(ts >= notBefore - TS_TOLERANCE_MS && ts <= now + TS_TOLERANCE_MS,
                    "ts " + ts + " is epoch milliseconds near " + now);
            assertTrue(ts >= previous - 1, "ts " + ts + " does not go back (previous " + previous + ")");
            previous = ts;
        }
    }

    /** Sends BENCH_ECHO and checks it is the very next frame: nothing else was queued before it. */
    private static void echoBarrier(WsClient c, String marker) {
        JsonObject data = Json.createObjectBuilder().add("marker", marker).build();
        c.dispatch("BENCH_ECHO", data);
        JsonObject next = c.next();
        assertEquals(Json.createObjectBuilder().add("op", 0).add("t", "BENCH_ECHO").add("d", data).build(), next,
                "only the echo of \"" + marker + "\"");
    }

    /** Runs {@code check} on both endpoints, reporting each failure under its path. */
    private static void onBoth(Consumer<String> check) {
        assertAll(PATHS.stream().map(path -> (Executable) () -> {
            try {
                check.accept(path);
            } catch (AssertionError e) {
                throw new AssertionError(path + ": " + e.getMessage(), e);
            }
        }));
    }
}
