package dev.mesa.it.cluster;

import dev.mesa.it.client.Await;
import dev.mesa.it.client.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The messages of one test, and the check that each client received exactly the expected ones.
 *
 * <p>Every message of type {@code T} carries {@code {"nonce": <this test's nonce>, "type": T}}. A test
 * sends its messages, then a {@link #MARK} through the same route (same instance / same Dispatcher /
 * same publisher, so it is queued after them); {@link #expect} reads a client's frames up to the mark
 * and compares what came before it with the expected types: absence is proven by the mark's arrival,
 * never by waiting.
 */
final class Traffic {

    /** The barrier message type. */
    static final String MARK = "MARK";

    /** Replies to the sender that are not traffic. */
    private static final Set<String> REPLIES = Set.of("SENT", "ECHO");

    /** How long a message that must arrive may take, across instances. */
    static final Duration ARRIVAL = Duration.ofSeconds(10);

    final String nonce = HexFormat.of().formatHex(randomBytes());

    private static byte[] randomBytes() {
        byte[] b = new byte[5];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }

    /** A user id unique to this test. */
    String user(String name) {
        return name + "-" + nonce;
    }

    JsonObject payload(String type) {
        return Json.createObjectBuilder().add("nonce", nonce).add("type", type).build();
    }

    /** The exact frame a client must receive for a message of {@code type}. */
    JsonObject frame(String type) {
        return Json.createObjectBuilder().add("op", 0).add("d", payload(type)).add("t", type).build();
    }

    /** SEND body for {@code Mesa.send(msg)}. */
    JsonObject global(String type) {
        return Json.createObjectBuilder().add("global", true).add("type", type).add("payload", payload(type)).build();
    }

    /** SEND / REST body for {@code send(msg, ids, excluding)}. */
    JsonObject to(String type, Collection<String> ids, Collection<String> excluding) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("type", type).add("payload", payload(type)).add("ids", array(ids));
        if (!excluding.isEmpty()) {
            b.add("excluding", array(excluding));
        }
        return b.build();
    }

    /**
     * The request for the Node agent's Mesa 1.5.8 Dispatcher ({@code dispatch}, or {@code syncDispatch} with
     * {@code sync.enabled}): a message of {@code type} with this test's payload, on {@code redisUri} and
     * {@code namespace} (empty: none), to {@code recipients} except {@code excluding}.
     */
    JsonObjectBuilder nodeDispatch(String redisUri, String namespace, String type, Collection<String> recipients,
                                   Collection<String> excluding) {
        JsonObjectBuilder req = Json.createObjectBuilder().add("redis", redisUri).add("namespace", namespace)
                .add("recipients", array(recipients)).add("type", type).add("data", payload(type));
        if (!excluding.isEmpty()) {
            req.add("excluding", array(excluding));
        }
        return req;
    }

    /** REST body for {@code dispatch(msg)} (no ids). */
    JsonObject everyone(String type) {
        return Json.createObjectBuilder().add("type", type).add("payload", payload(type)).build();
    }

    static JsonArrayBuilder array(Collection<String> values) {
        JsonArrayBuilder a = Json.createArrayBuilder();
        values.forEach(a::add);
        return a;
    }

    /** Has the client run {@code SEND body} (the endpoint answers SENT; the reply is skipped by {@link #expect}). */
    static void send(WsClient from, JsonObject body) {
        from.dispatch("SEND", body);
    }

    /**
     * Reads {@code client}'s frames up to this test's {@link #MARK} and asserts that the traffic before it
     * is exactly one frame {@link #frame(String) frame(t)} per expected type (in any order), nothing else.
     */
    void expect(String who, WsClient client, String... types) {
        List<JsonObject> before = new ArrayList<>();
        long deadline = System.nanoTime() + ARRIVAL.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError(who + ": no " + MARK + " within " + ARRIVAL.toMillis() + " ms; traffic so far " + before
                        + "; all frames " + client.frames());
            }
            JsonObject f;
            try {
                f = client.nextFrame(Duration.ofNanos(left)).json();
            } catch (AssertionError e) {
                throw new AssertionError(who + ": the " + MARK + " never arrived (expected before it: " + List.of(types)
                        + "); traffic so far " + before, e);
            }
            String t = f.getString("t", null);
            if (MARK.equals(t) && f.get("d") instanceof JsonObject d && nonce.equals(d.getString("nonce", null))) {
                assertEquals(frame(MARK), f, who + ": the mark itself must be a plain {op,d,t} frame");
                break;
            }
            if (f.getInt("op", -1) == 0 && t != null && REPLIES.contains(t)) {
                continue;
            }
            before.add(f);
        }
        assertTraffic(who, before, types);
    }

    /** The same check on the messages a Node client reported ({op, d, t}), cut at this test's MARK. */
    void expectNode(String who, List<JsonObject> messages, String... types) {
        List<JsonObject> before = new ArrayList<>();
        boolean marked = false;
        for (JsonObject m : messages) {
            JsonObject plain = plain(m);
            if (frame(MARK).equals(plain)) {
                marked = true;
                break;
            }
            if (m.get("d") instanceof JsonObject d && nonce.equals(d.getString("nonce", null))) {
                before.add(plain);
            } else if (!(REPLIES.contains(m.getString("t", "")))) {
                before.add(plain);
            }
        }
        if (!marked) {
            throw new AssertionError(who + ": no " + MARK + " among " + messages);
        }
        assertTraffic(who, before, types);
    }

    /** A Node message {op, d, t} without undefined fields. */
    private static JsonObject plain(JsonObject m) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        m.forEach((k, v) -> {
            if (v != JsonValue.NULL) {
                b.add(k, v);
            }
        });
        return b.build();
    }

    private void assertTraffic(String who, List<JsonObject> before, String... types) {
        List<String> expected = new ArrayList<>(List.of(types));
        List<String> got = new ArrayList<>();
        for (JsonObject f : before) {
            String t = f.getString("t", "<op " + f.getInt("op", -1) + ">");
            got.add(t);
            if (expected.contains(t)) {
                assertEquals(frame(t), f, who + ": frame of " + t + " must be exactly {op:0, d, t} (no o, s, mesa, recipients)");
            }
        }
        List<String> e = new ArrayList<>(expected);
        List<String> g = new ArrayList<>(got);
        e.sort(null);
        g.sort(null);
        assertEquals(e, g, () -> who + ": expected exactly " + expected + " before the mark, got " + got + " (frames " + before + ")");
    }

    /** Waits until {@code condition}, polling, bounded. */
    static void await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
        Await.until(what, timeout, condition);
    }
}
