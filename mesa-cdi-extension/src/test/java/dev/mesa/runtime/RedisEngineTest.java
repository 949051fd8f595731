package dev.mesa.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.RedisClient;

import dev.mesa.runtime.redis.RedisServer;

/** The engine with mesa.redis.uri set: Mesa 1.x's channel and keys on a real Redis. */
class RedisEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(5);

    private RedisServer server;
    private RedisClient redis;
    private Deployment deployment;
    private EndpointRuntime open;

    @BeforeEach
    void deploy() throws Exception {
        server = RedisServer.start();
        redis = RedisClient.create(URI.create(server.uri()));
        deployment = Deployment.of(Map.of(
                "mesa.redis.uri", server.uri(),
                "mesa.namespace", "it",
                "mesa.sync.enabled", "true"), EngineTest.Open.class);
        open = deployment.endpoint("/open");
        // PUBLISH answers how many subscribers got it: a publication for nobody tells when the engine listens.
        Waits.until("subscribed", () -> redis.publish("ws_it", "{\"message\":{\"op\":0,\"d\":{}},\"recipients\":[]}") == 1L);
    }

    @AfterEach
    void undeploy() throws Exception {
        deployment.close();
        redis.close();
        server.close();
    }

    private RecordingTransport login(String user) throws InterruptedException {
        RecordingTransport t = RecordingTransport.open(open);
        t.text("{\"op\":2,\"d\":{\"token\":\"u:" + user + "\"}}");
        t.await(f -> f.getInt("op") == 22, WAIT);
        return t;
    }

    @Test
    void nodeDispatcherPublicationsReachLocalConnections() throws Exception {
        RecordingTransport ann = login("ann");
        RecordingTransport anonymous = RecordingTransport.open(open);
        Waits.until("ann is in connected_clients", () -> redis.sismember("connected_clients_it", "ann"));

        redis.publish("ws_it", "{\"message\":{\"op\":0,\"d\":{\"to\":\"ann\"},\"t\":\"DM\",\"o\":{\"sync\":true}},\"recipients\":[\"ann\"]}");
        redis.publish("ws_it", "{\"message\":{\"op\":0,\"d\":{},\"t\":\"ALL\"},\"recipients\":[\"*\"]}");
        assertEquals("{\"op\":0,\"d\":{\"to\":\"ann\"},\"t\":\"DM\"}",
                ann.frames().stream().filter(f -> f.contains("DM")).findFirst().orElseGet(() -> {
                    try {
                        return ann.await(f -> "DM".equals(f.getString("t", null)), WAIT).toString();
                    } catch (InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }));
        anonymous.await(f -> "ALL".equals(f.getString("t", null)), WAIT);
        assertTrue(anonymous.frames().stream().noneMatch(f -> f.contains("\"DM\"")));
        assertEquals("2", redis.get("connected_clients_count_it"));
    }

    @Test
    void sendsArePublishedForOtherInstancesInMesasFormat() throws Exception {
        RecordingTransport bob = login("bob");
        java.util.concurrent.LinkedBlockingQueue<String> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        JedisPubSub listener = new JedisPubSub() {
            @Override
            public void onMessage(String channel, String message) {
                seen.add(message);
            }
        };
        Thread t = new Thread(() -> redis.subscribe(listener, "ws_it"));
        t.start();
        Waits.until("listening", () -> listener.isSubscribed());
        bob.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"bob\",\"zed\"],\"type\":\"HI\",\"payload\":{\"x\":1}}}");
        String payload = seen.poll(5, java.util.concurrent.TimeUnit.SECONDS);
        listener.unsubscribe();
        t.join(2000);
        JsonObject p = Json.createReader(new java.io.StringReader(payload)).readObject();
        assertEquals(Json.createObjectBuilder().add("op", 0).add("d", Json.createObjectBuilder().add("x", 1)).add("t", "HI").build(),
                p.getJsonObject("message"));
        // zed is connected nowhere: stored for later, and left out of the publication so it cannot arrive twice.
        assertEquals(List.of("bob"), p.getJsonArray("recipients").getValuesAs(jakarta.json.JsonString::getString));
        assertTrue(redis.hget("undelivered_messages_it", "zed").contains("\"t\":\"HI\""));
        bob.await(f -> "HI".equals(f.getString("t", null)), WAIT);
    }

    private RecordingTransport resume(EndpointRuntime endpoint, String user, String epoch, long s) throws InterruptedException {
        RecordingTransport t = RecordingTransport.open(endpoint);
        String e = epoch == null ? "null" : "\"" + epoch + "\"";
        t.text("{\"op\":2,\"d\":{\"token\":\"u:" + user + "\",\"resume\":{\"epoch\":" + e + ",\"s\":" + s + "}}}");
        t.await(f -> f.getInt("op") == 23, WAIT);
        return t;
    }

    private static List<String> numbered(RecordingTransport t) {
        return t.json().stream().filter(f -> "N".equals(f.getString("t", null)))
                .map(f -> f.getInt("d") + "@" + (f.containsKey("s") ? f.getInt("s") : "-")).toList();
    }

    /** Two whole engines on one Redis: the resume log is shared, so a user resumes on either instance. */
    @Test
    void resumeWorksAcrossInstancesThroughTheSharedLog() throws Exception {
        try (Deployment other = Deployment.of(Map.of(
                "mesa.redis.uri", server.uri(), "mesa.namespace", "it", "mesa.sync.enabled", "true"), EngineTest.Open.class)) {
            EndpointRuntime b = other.endpoint("/open");
            assertTrue(RecordingTransport.open(b).json().get(0).toString().contains("\"resume\""), "offered with Redis");
            RecordingTransport sender = login("sender");
            RecordingTransport onB = resume(b, "kai", null, 0);
            JsonObject header = onB.json().stream().filter(f -> f.getInt("op") == 23).findFirst().orElseThrow().getJsonObject("d");
            String epoch = header.getString("epoch");
            Waits.until("kai connected", () -> redis.sismember("connected_clients_it", "kai"));

            sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"kai\"],\"type\":\"N\",\"payload\":1}}");
            onB.await(f -> f.getInt("s", 0) == 1, WAIT);
            assertEquals(List.of("1@1"), numbered(onB), "numbered by the shared log, delivered on the other instance");
            onB.close(1000, "");
            Waits.until("kai gone", () -> !redis.sismember("connected_clients_it", "kai"));

            sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"kai\"],\"type\":\"N\",\"payload\":2}}");
            sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"kai\"],\"type\":\"N\",\"payload\":3}}");
            Waits.until("logged", () -> redis.xlen("{mesa_it:kai}:log") == 3);
            RecordingTransport onA = resume(open, "kai", epoch, 1);
            onA.await(f -> f.getInt("s", 0) == 3, WAIT);
            JsonObject again = onA.json().stream().filter(f -> f.getInt("op") == 23).findFirst().orElseThrow().getJsonObject("d");
            assertEquals(false, again.getBoolean("reset"));
            assertEquals(epoch, again.getString("epoch"));
            sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"kai\"],\"type\":\"N\",\"payload\":4}}");
            onA.await(f -> f.getInt("s", 0) == 4, WAIT);
            assertEquals(List.of("2@2", "3@3", "4@4"), numbered(onA), "replayed from Redis, then live: no gap, no duplicate");

            onA.text("{\"op\":3,\"d\":{\"s\":3}}");
            Waits.until("trimmed", () -> redis.xlen("{mesa_it:kai}:log") == 1);
        }
    }

    @Test
    void eightConcurrentDispatchersNeverLoseAStoredMessage() throws Exception {
        int dispatchers = 8;
        int each = 100;
        dispatchConcurrently("ivy", dispatchers, each);

        RecordingTransport ivy = login("ivy");
        ivy.await(f -> f.getInt("s", 0) == dispatchers * each, Duration.ofSeconds(20));
        List<JsonObject> got = ivy.json().stream().filter(f -> "N".equals(f.getString("t", null))).toList();
        assertEquals(dispatchers * each, got.size(), "every stored message, once");
        int[] next = new int[dispatchers];
        for (int i = 0; i < got.size(); i++) {
            JsonObject f = got.get(i);
            assertEquals(i + 1, f.getInt("s"), "numbered 1..N in order");
            JsonObject d = f.getJsonObject("d");
            assertEquals(next[d.getInt("from")]++, d.getInt("n"), "each dispatcher's messages in the order it sent them");
        }
    }

    /** Both instances number messages for one user at once: each connection still gets 1..N in order, once. */
    @Test
    void numberedMessagesFromTwoInstancesArriveInOrderWithoutGaps() throws Exception {
        try (Deployment other = Deployment.of(Map.of(
                "mesa.redis.uri", server.uri(), "mesa.namespace", "it", "mesa.sync.enabled", "true"), EngineTest.Open.class)) {
            EndpointRuntime b = other.endpoint("/open");
            RecordingTransport onA = resume(open, "zed", null, 0);
            RecordingTransport onB = resume(b, "zed", null, 0);
            RecordingTransport senderA = login("sa");
            RecordingTransport senderB = RecordingTransport.open(b);
            senderB.text("{\"op\":2,\"d\":{\"token\":\"u:sb\"}}");
            senderB.await(f -> f.getInt("op") == 22, WAIT);
            int each = 150;
            Thread t = new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    senderB.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"zed\"],\"type\":\"N\",\"payload\":" + (1000 + i) + "}}");
                }
            });
            t.start();
            for (int i = 0; i < each; i++) {
                senderA.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"zed\"],\"type\":\"N\",\"payload\":" + i + "}}");
            }
            t.join(10_000);
            for (RecordingTransport c : List.of(onA, onB)) {
                c.await(f -> f.getInt("s", 0) == 2 * each, Duration.ofSeconds(15));
                List<Integer> seqs = c.json().stream().filter(f -> "N".equals(f.getString("t", null))).map(f -> f.getInt("s")).toList();
                assertEquals(java.util.stream.IntStream.rangeClosed(1, 2 * each).boxed().toList(), seqs,
                        "each connection: 1..N in order, no gap, no duplicate");
            }
        }
    }

    @Test
    void clientsWhoseHistoryRedisLostAreToldSoByANewEpoch() throws Exception {
        RecordingTransport sender = login("sender");
        RecordingTransport t = resume(open, "nia", null, 0);
        sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"nia\"],\"type\":\"N\",\"payload\":1}}");
        t.await(f -> f.getInt("s", 0) == 1, WAIT);
        String epoch = t.json().stream().filter(f -> f.getInt("op") == 23).findFirst().orElseThrow().getJsonObject("d").getString("epoch");
        t.close(1000, "");

        server.kill();      // no persistence: the log is gone
        server.launch();
        Waits.until("resubscribed", () -> {
            try {
                return redis.publish("ws_it", "{\"message\":{\"op\":0,\"d\":{}},\"recipients\":[]}") == 1L;
            } catch (RuntimeException e) {
                return false; // this test's own pooled connection died with the old server
            }
        });
        RecordingTransport back = resumeWhenRedisAnswers("nia", epoch, 1);
        JsonObject h = back.json().stream().filter(f -> f.getInt("op") == 23).findFirst().orElseThrow().getJsonObject("d");
        assertTrue(h.getBoolean("reset"), "its position cannot be served: it must resynchronise");
        assertTrue(!epoch.equals(h.getString("epoch")), "a new epoch says the history was lost");
        assertEquals(0, h.getInt("s"));
    }

    /** Resumes, retrying while the instance still drops Redis work after the outage (it closes with 1013 then). */
    private RecordingTransport resumeWhenRedisAnswers(String user, String epoch, long s) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            RecordingTransport t = RecordingTransport.open(open);
            t.text("{\"op\":2,\"d\":{\"token\":\"u:" + user + "\",\"resume\":{\"epoch\":\"" + epoch + "\",\"s\":" + s + "}}}");
            try {
                t.await(f -> f.getInt("op") == 23 || t.closeCode() != 0, WAIT);
            } catch (AssertionError e) {
                // neither yet
            }
            if (t.json().stream().anyMatch(f -> f.getInt("op") == 23)) {
                return t;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no op 23 after Redis returned; last close " + t.closeCode());
            }
            Thread.sleep(200);
        }
    }

    /** dispatchAsync completes once the message is in the recipient's log, and fails when Redis is away. */
    @Test
    void dispatchAsyncCompletesWhenTheMessageIsDurable() throws Exception {
        dev.mesa.Dispatcher dispatcher = deployment.bean(dev.mesa.Dispatcher.class);
        resume(open, "ola", null, 0).close(1000, "");
        dispatcher.dispatchAsync(dev.mesa.Message.of("N", 1), List.of("ola"), List.of())
                .toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(1L, redis.xlen("{mesa_it:ola}:log"), "logged by the time the stage completed");

        server.kill();
        java.util.concurrent.CompletableFuture<Void> failed = dispatcher.dispatchAsync(dev.mesa.Message.of("N", 2),
                List.of("ola"), List.of()).toCompletableFuture();
        java.util.concurrent.ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(
                java.util.concurrent.ExecutionException.class, () -> failed.get(10, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("Redis is unreachable"), e.getCause().getMessage());
        server.launch();
    }

    @Test
    void aResumeWhileRedisIsAwayIsToldToComeBackLater() throws Exception {
        RecordingTransport legacy = login("lou");
        server.kill();
        RecordingTransport t = RecordingTransport.open(open);
        t.text("{\"op\":2,\"d\":{\"token\":\"u:max\",\"resume\":{\"epoch\":null,\"s\":0}}}");
        assertEquals(1013, t.awaitClose(Duration.ofSeconds(10)));
        assertTrue(t.json().stream().anyMatch(f -> f.getInt("op") == 22), "authenticated first, then told to retry");
        legacy.text("{\"op\":0,\"t\":\"ECHO\",\"d\":\"still served\"}");
        assertEquals("still served", legacy.await(f -> "ECHO".equals(f.getString("t", null)), WAIT).getString("d"));
        server.launch();
    }

    /** Eight standalone Dispatchers (sync on) send {from, n} to one user at once, each in its own order. */
    private void dispatchConcurrently(String user, int dispatchers, int each) throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(dispatchers);
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
        for (int i = 0; i < dispatchers; i++) {
            int id = i;
            done.add(pool.submit(() -> {
                try (var d = dev.mesa.runtime.redis.StandaloneDispatcher.connect(server.uri(), "it", true)) {
                    go.await();
                    for (int n = 0; n < each; n++) {
                        d.dispatch(dev.mesa.Message.of("N", Map.of("from", id, "n", n)), List.of(user));
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (var f : done) {
            f.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
        pool.shutdown();
    }

    /** The same race on the durable path: eight Dispatchers log for one user at once; the log numbers all. */
    @Test
    void eightConcurrentDispatchersAreNumberedWithoutLossForAResumingClient() throws Exception {
        int dispatchers = 8;
        int each = 100;
        dispatchConcurrently("ivo", dispatchers, each);

        RecordingTransport ivo = resume(open, "ivo", null, 0);
        ivo.await(f -> f.getInt("s", 0) == dispatchers * each, Duration.ofSeconds(20));
        List<JsonObject> got = ivo.json().stream().filter(f -> "N".equals(f.getString("t", null))).toList();
        assertEquals(dispatchers * each, got.size(), "every message once");
        int[] next = new int[dispatchers];
        for (int i = 0; i < got.size(); i++) {
            JsonObject f = got.get(i);
            assertEquals(i + 1, f.getInt("s"), "one total order per user: 1..N");
            JsonObject d = f.getJsonObject("d");
            assertEquals(next[d.getInt("from")]++, d.getInt("n"), "each dispatcher's messages in the order it sent them");
        }
    }

    @Test
    void messagesForUsersNoInstanceHoldsWaitInMesasHashAndAreRedelivered() throws Exception {
        // Stored earlier by a Node Mesa server or Dispatcher.
        redis.hset("undelivered_messages_it", "cat", "[{\"op\":0,\"d\":{\"n\":0},\"t\":\"N\",\"o\":{\"sync\":true}}]");
        RecordingTransport sender = login("sender");
        sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"cat\"],\"type\":\"N\",\"payload\":{\"n\":1}}}");
        sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"cat\"],\"type\":\"TRANSIENT\",\"payload\":{}}}");
        Waits.until("stored", () -> {
            String v = redis.hget("undelivered_messages_it", "cat");
            return v != null && v.contains("\"n\":1");
        });
        assertTrue(!redis.hget("undelivered_messages_it", "cat").contains("TRANSIENT"));

        RecordingTransport cat = login("cat");
        cat.await(f -> f.getInt("s", 0) == 2, WAIT);
        List<String> after = cat.frames().subList(1, cat.frames().size());
        assertTrue(after.get(0).startsWith("{\"op\":22"), after.toString());
        assertEquals("{\"op\":0,\"d\":{\"n\":0},\"t\":\"N\",\"s\":1}", after.get(1));
        assertEquals("{\"op\":0,\"d\":{\"n\":1},\"t\":\"N\",\"s\":2}", after.get(2));
        assertNull(redis.hget("undelivered_messages_it", "cat"));
    }

}
