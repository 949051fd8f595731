package dev.mesa.runtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import redis.clients.jedis.RedisClient;

import dev.mesa.Message;
import dev.mesa.runtime.Envelope;
import dev.mesa.runtime.Envelope.Audience;
import dev.mesa.runtime.Frames;
import dev.mesa.runtime.RedisSettings;
import dev.mesa.runtime.Waits;

/** Two brokers on one real Redis behave as two instances, on Mesa 1.x's channel and keys. */
class RedisBrokerTest {

    private RedisServer server;
    private RedisClient plain;
    private RedisBroker a;
    private RedisBroker b;
    private final LinkedBlockingQueue<Envelope> atA = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<Envelope> atB = new LinkedBlockingQueue<>();
    private final List<List<String>> stored = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = RedisServer.start();
        plain = RedisClient.create(URI.create(server.uri()));
        a = broker("chat");
        b = broker("chat");
        a.start(atA::add, e -> { });
        b.start(atB::add, e -> { });
        Waits.until("both subscribed", () -> a.subscribed() && b.subscribed());
    }

    private RedisBroker broker(String namespace) {
        RedisSettings s = new RedisSettings(URI.create(server.uri()), null, List.of(), List.of(), null, null, false,
                Duration.ofSeconds(1), Duration.ofMillis(600));
        return new RedisBroker(s, namespace, true, true, (m, users) -> stored.add(users), 100, Duration.ofHours(1));
    }

    @AfterEach
    void stop() throws Exception {
        a.stop();
        b.stop();
        plain.close();
        server.close();
    }

    private static Envelope envelope(Audience audience, Set<String> users, Set<String> excluding) {
        Message m = Message.of("NEWS", Map.of("n", 1));
        return new Envelope(m, Frames.frame(0, "{\"n\":1}", "NEWS", 0), audience, users, excluding);
    }

    @Test
    void anInstanceReceivesWhatAnotherPublishesButNotItsOwn() throws Exception {
        a.publish(envelope(Audience.AUTHENTICATED, Set.of(), Set.of("bob")), Set.of(), Set.of());
        Envelope got = atB.poll(5, TimeUnit.SECONDS);
        assertEquals(Audience.AUTHENTICATED, got.audience());
        assertEquals(Set.of("bob"), got.excluding());
        assertEquals("{\"op\":0,\"d\":{\"n\":1},\"t\":\"NEWS\"}", got.frame());
        // A marker after it proves A skipped its own publication rather than not having received it yet.
        b.publish(envelope(Audience.USERS, Set.of("marker"), Set.of()), Set.of(), Set.of());
        Envelope marker = atA.poll(5, TimeUnit.SECONDS);
        assertEquals(Set.of("marker"), marker.users());
        assertNull(atA.poll());
    }

    @Test
    void nodeMesaPublicationsAreUnderstoodAndOursAreNodeShaped() throws Exception {
        // What @cryb/mesa 1.5.8's Dispatcher publishes: "o" is present, and '*' means every connection.
        plain.publish("ws_chat", "{\"message\":{\"op\":0,\"d\":{\"x\":[]},\"t\":\"ALERT\",\"o\":{\"sync\":true}},\"recipients\":[\"*\"]}");
        Envelope all = atA.poll(5, TimeUnit.SECONDS);
        assertEquals(Audience.CONNECTIONS, all.audience());
        assertEquals("{\"op\":0,\"d\":{\"x\":[]},\"t\":\"ALERT\"}", all.frame(), "clients never see o");
        plain.publish("ws_chat", "{\"message\":{\"op\":0,\"d\":{},\"t\":\"DM\"},\"recipients\":[\"1\",\"2\"]}");
        Envelope ids = atA.poll(5, TimeUnit.SECONDS);
        assertEquals(Audience.USERS, ids.audience());
        assertEquals(Set.of("1", "2"), ids.users());

        String payload = Publication.encode(envelope(Audience.USERS, Set.of("7"), Set.of()), "x");
        assertEquals("{\"mesa\":{\"origin\":\"x\",\"audience\":\"users\"},\"message\":{\"op\":0,\"d\":{\"n\":1},\"t\":\"NEWS\"},"
                + "\"recipients\":[\"7\"]}", payload);
        assertNull(Wire.decode(payload, "x", false), "its own publication is recognised without parsing");
        assertEquals(Set.of("7"), Wire.decode(payload, "y", false).users());
    }

    @Test
    void presenceCountsConnectionsNotUsers() throws Exception {
        a.connectionOpened();
        b.connectionOpened();
        b.connectionOpened();
        a.userBound("ann");
        b.userBound("ann");
        Waits.until("ann online, 3 connections", () -> plain.sismember("connected_clients_chat", "ann")
                && "3".equals(plain.get("connected_clients_count_chat")));
        a.userUnbound("ann");
        a.connectionClosed();
        Waits.until("count 2", () -> "2".equals(plain.get("connected_clients_count_chat")));
        assertTrue(plain.sismember("connected_clients_chat", "ann"), "ann still has a connection on B");
        b.userUnbound("ann");
        Waits.until("ann offline", () -> !plain.sismember("connected_clients_chat", "ann"));
    }

    @Test
    void aStoppingInstanceWithdrawsWhatItStillCounts() throws Exception {
        a.connectionOpened();
        a.userBound("cid");
        b.connectionOpened();
        b.userBound("dee");
        Waits.until("both online", () -> plain.sismember("connected_clients_chat", "cid") && plain.sismember("connected_clients_chat", "dee"));
        a.stop();
        assertTrue(!plain.sismember("connected_clients_chat", "cid"));
        // Under load a's alive key may lapse first: then b's sweep withdraws a, its count follows a moment later.
        Waits.until("a's connection uncounted", () -> "1".equals(plain.get("connected_clients_count_chat")));
        assertTrue(plain.sismember("connected_clients_chat", "dee"));
    }

    @Test
    void syncedMessagesForUsersNoInstanceHoldsAreStoredInMesasHash() throws Exception {
        b.userBound("online");
        Waits.until("online", () -> plain.sismember("connected_clients_chat", "online"));
        // A message stored by Node Mesa first: ours append to the same JSON array.
        plain.hset("undelivered_messages_chat", "away", "[{\"op\":0,\"d\":{\"from\":\"node\"},\"t\":\"OLD\",\"o\":{\"sync\":true}}]");
        a.publish(envelope(Audience.USERS, Set.of("away", "online"), Set.of()), Set.of("away", "online"), Set.of());
        Waits.until("stored", () -> !stored.isEmpty());
        assertEquals(List.of(List.of("away")), stored);

        LinkedBlockingQueue<List<Message>> taken = new LinkedBlockingQueue<>();
        a.syncStore().take("away", taken::add);
        List<Message> messages = taken.poll(5, TimeUnit.SECONDS);
        assertEquals(List.of("OLD", "NEWS"), messages.stream().map(Message::type).toList());
        assertEquals("{\"n\":1}", messages.get(1).data().toString());
        assertNull(plain.hget("undelivered_messages_chat", "away"), "taken means removed");

        a.syncStore().putBack("away", messages.subList(1, 2));
        a.syncStore().take("away", taken::add);
        assertEquals(List.of("NEWS"), taken.poll(5, TimeUnit.SECONDS).stream().map(Message::type).toList());
        assertTrue(messages.get(1).data() instanceof JsonValue);
    }

    @Test
    void aDeadInstanceStopsCountingWithinThePresenceTtl() throws Exception {
        b.connectionOpened();
        b.userBound("ann");
        Waits.until("ann online", () -> plain.sismember("connected_clients_chat", "ann"));
        // An instance that died without a word: its record, as it wrote it, and an alive key that lapses.
        String tag = "{connected_clients_chat}:mesa-";
        plain.sadd(tag + "instances", "ghost");
        plain.hset(tag + "instance:ghost", Map.of("#connections", "2", "ann", "1", "gus", "1"));
        plain.hincrBy(tag + "connections", "ann", 1);
        plain.hincrBy(tag + "connections", "gus", 1);
        plain.sadd("connected_clients_chat", "gus");
        plain.incrBy("connected_clients_count_chat", 2);
        plain.psetex(tag + "alive:ghost", 300, "1");
        Waits.until("count 3", () -> "3".equals(plain.get("connected_clients_count_chat")));
        long start = System.nanoTime();
        Waits.until("ghost withdrawn", () -> !plain.sismember("connected_clients_chat", "gus"));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos());
        assertTrue(plain.sismember("connected_clients_chat", "ann"), "ann is still held by B");
        assertEquals("1", plain.get("connected_clients_count_chat"));
        assertEquals("1", plain.hget(tag + "connections", "ann"));
        assertTrue(!plain.sismember(tag + "instances", "ghost"));
    }

    @Test
    void presenceIsWrittenAgainWhenRedisLosesItsData() throws Exception {
        a.connectionOpened();
        a.userBound("ann");
        b.connectionOpened();
        b.userBound("bob");
        Waits.until("online", () -> plain.sismember("connected_clients_chat", "ann") && plain.sismember("connected_clients_chat", "bob"));
        server.kill();
        server.launch();
        plain.close();
        plain = RedisClient.create(URI.create(server.uri()));
        Waits.until("both back", () -> plain.sismember("connected_clients_chat", "ann") && plain.sismember("connected_clients_chat", "bob")
                && "2".equals(plain.get("connected_clients_count_chat")));
        a.userUnbound("ann");
        Waits.until("ann gone", () -> !plain.sismember("connected_clients_chat", "ann"));
    }

    @Test
    void theSubscriberComesBackAfterRedisRestarts() throws Exception {
        server.kill();
        Waits.until("subscription lost", () -> !a.subscribed() && !b.subscribed());
        a.publish(envelope(Audience.AUTHENTICATED, Set.of(), Set.of()), Set.of(), Set.of()); // dropped quickly, never blocks
        server.launch();
        Waits.until("resubscribed", () -> a.subscribed() && b.subscribed());
        Waits.until("a publication flows again", () -> {
            a.publish(envelope(Audience.USERS, Set.of("again"), Set.of()), Set.of(), Set.of());
            try {
                Envelope e = atB.poll(200, TimeUnit.MILLISECONDS);
                return e != null && e.users().contains("again");
            } catch (InterruptedException e) {
                return false;
            }
        });
    }

}
