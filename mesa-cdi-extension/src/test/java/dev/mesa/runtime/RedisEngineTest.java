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
                "mesa.sync.enabled", "true",
                // presence (and the logger lease) refreshed every second: a lease taken away is noticed quickly
                "mesa.redis.presence-ttl", "3s"), EngineTest.Open.class);
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

    private static final String LOGGER_LEASE = "{connected_clients_it}:mesa-logger";

    private void nodePublishes(String user, int n) {
        redis.publish("ws_it", "{\"message\":{\"op\":0,\"d\":" + n + ",\"t\":\"N\",\"o\":{\"sync\":true}},"
                + "\"recipients\":[\"" + user + "\"]}");
    }

    /**
     * Node Mesa publishes without logging: exactly one of two instances logs each such message, and every
     * resuming connection gets it numbered in the user's one order, mixed with our own messages; Mesa 1.x
     * connections get it as Node sent it; a later resume replays it.
     */
    @Test
    void messagesNodeMesaPublishesAreLoggedOnceAndNumberedOnEveryInstance() throws Exception {
        try (Deployment other = Deployment.of(Map.of("mesa.redis.uri", server.uri(), "mesa.namespace", "it",
                "mesa.sync.enabled", "true", "mesa.redis.presence-ttl", "3s"), EngineTest.Open.class)) {
            EndpointRuntime b = other.endpoint("/open");
            Waits.until("b subscribed", () -> redis.publish("ws_it", "{\"message\":{\"op\":0,\"d\":{}},\"recipients\":[]}") == 2L);
            Waits.until("a logger", () -> redis.get(LOGGER_LEASE) != null);
            RecordingTransport onA = resume(open, "nia", null, 0);
            RecordingTransport onB = resume(b, "nia", null, 0);
            RecordingTransport legacy = RecordingTransport.open(b);
            legacy.text("{\"op\":2,\"d\":{\"token\":\"u:nia\"}}");
            legacy.await(f -> f.getInt("op") == 22, WAIT);
            RecordingTransport sender = login("sender");
            int each = 30;
            for (int i = 0; i < each; i++) {
                nodePublishes("nia", 1000 + i);
                sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"nia\"],\"type\":\"N\",\"payload\":" + i + "}}");
            }
            List<Integer> all = java.util.stream.IntStream.rangeClosed(1, 2 * each).boxed().toList();
            for (RecordingTransport c : List.of(onA, onB)) {
                c.await(f -> f.getInt("s", 0) == 2 * each, Duration.ofSeconds(10));
                List<JsonObject> got = c.json().stream().filter(f -> "N".equals(f.getString("t", null))).toList();
                assertEquals(all, got.stream().map(f -> f.getInt("s")).toList(), "1..N in order, once: " + numbered(c));
                assertEquals(java.util.stream.IntStream.range(1000, 1000 + each).boxed().toList(),
                        got.stream().map(f -> f.getInt("d")).filter(d -> d >= 1000).toList(), "Node's messages in Node's order");
            }
            legacy.await(f -> "N".equals(f.getString("t", null)) && f.getInt("d") == 1000 + each - 1, WAIT);
            List<JsonObject> plain = legacy.json().stream().filter(f -> "N".equals(f.getString("t", null))).toList();
            assertEquals(2 * each, plain.size(), "the Mesa 1.x connection got each message once");
            assertTrue(plain.stream().noneMatch(f -> f.containsKey("s")), "and never a sequence");
            assertEquals(2L * each, redis.xlen("{mesa_it:nia}:log"), "each message logged exactly once");

            RecordingTransport later = resume(b, "nia", null, 0);
            later.await(f -> f.getInt("s", 0) == 2 * each, WAIT);
            assertEquals(all, later.json().stream().filter(f -> "N".equals(f.getString("t", null))).map(f -> f.getInt("s")).toList(),
                    "replayed, Node's messages included");
        }
    }

    /** A message Node Mesa publishes while no instance holds the logger lease still reaches resuming clients. */
    @Test
    void withoutALoggerResumingClientsGetNodeMesasMessagesUnnumbered() throws Exception {
        Waits.until("a logger", () -> redis.get(LOGGER_LEASE) != null);
        redis.psetex(LOGGER_LEASE, 60_000, "an-instance-that-died");
        Thread.sleep(1_500); // the next refresh (every presence-ttl / 3) finds the lease taken
        RecordingTransport c = resume(open, "oto", null, 0);
        nodePublishes("oto", 7);
        JsonObject got = c.await(f -> "N".equals(f.getString("t", null)), Duration.ofSeconds(LogWaits.WAIT_MILLIS / 1000 + 5));
        assertEquals(7, got.getInt("d"));
        assertTrue(!got.containsKey("s"), "unnumbered: nobody logged it");
        assertEquals(0L, redis.xlen("{mesa_it:oto}:log"));
    }

    /**
     * What a Node Dispatcher stored in Mesa 1.x's hash for a user who was away is logged when the user
     * resumes, after what we logged before, and leaves the hash; what we stored there ourselves (logged
     * already) is not logged twice.
     */
    @Test
    void messagesNodeMesaStoredAreLoggedWhenTheUserResumes() throws Exception {
        RecordingTransport sender = login("sender");
        sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"pia\"],\"type\":\"N\",\"payload\":0}}");
        Waits.until("stored by us", () -> redis.hget("undelivered_messages_it", "pia") != null);
        String ours = redis.hget("undelivered_messages_it", "pia");
        assertTrue(ours.contains("\"mesa\":\"logged\""), ours);
        // as a Node Dispatcher stores: read the array, append, write it back
        redis.hset("undelivered_messages_it", "pia", ours.substring(0, ours.length() - 1)
                + ",{\"op\":0,\"d\":1,\"t\":\"N\",\"o\":{\"sync\":true}},{\"op\":0,\"d\":2,\"t\":\"N\"}"
                + ",{\"op\":0,\"d\":9,\"t\":\"N\",\"o\":{\"sync\":false}}]");

        RecordingTransport pia = resume(open, "pia", null, 0);
        pia.await(f -> f.getInt("s", 0) == 3, WAIT);
        assertEquals(List.of("0@1", "1@2", "2@3"), numbered(pia), "ours first, then Node's, numbered once");
        assertEquals(3L, redis.xlen("{mesa_it:pia}:log"));
        assertNull(redis.hget("undelivered_messages_it", "pia"), "taken from Mesa 1.x's store");
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
