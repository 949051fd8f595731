package dev.mesa.it.cluster;

import dev.mesa.it.Clients;
import dev.mesa.it.client.WsClient;
import dev.mesa.it.cluster.harness.LibertyInstance;
import dev.mesa.it.cluster.harness.MesaCluster;
import dev.mesa.it.cluster.harness.NodeAgent;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A mixed cluster on one Redis, with message sync on every side: our two Liberty instances
 * ({@code MESA_SYNC_ENABLED=true}), a Node Mesa 1.5.8 server with Redis, {@code sync.enabled},
 * {@code storeConnectedUsers} and the same {@code u:<id>} tokens, and a Node 1.5.8 Dispatcher with
 * {@code sync.enabled}. Covers what {@link ClusterIT} does not:
 * <ol>
 *   <li>the Node server's own {@code server.send} (global and to ids) reaches our clients;</li>
 *   <li>messages the Node server or the Node Dispatcher stored in {@code undelivered_messages} for an
 *       offline user are redelivered by our instance at that user's authentication (op 22, then s = 1..N);</li>
 *   <li>a message our instance stored is redelivered by the Node server to a Node client (shouldSync);</li>
 *   <li>a user connected to our instances is online for the Node sync Dispatcher: it publishes to them
 *       instead of storing, also after one of the user's two connections closed;</li>
 *   <li>a client of the resume extension gets what Node Mesa publishes and stores numbered, in the user's one
 *       order with our own messages, live and after a resume on the other instance.</li>
 * </ol>
 * Absence is proven with {@link Traffic#MARK} through the same route; stores (which 1.5.8 does not
 * await) and presence are bounded polls of Redis.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class MixedClusterIT {

    @RegisterExtension
    static final MesaCluster cluster = MesaCluster.withNamespace("").withEnv("MESA_SYNC_ENABLED", "true");

    private static final Duration STORE = Duration.ofSeconds(10);

    private final Clients clients = new Clients();
    private final Traffic t = new Traffic();

    @AfterEach
    void closeClients() {
        clients.close();
    }

    private LibertyInstance a() {
        return cluster.a();
    }

    private LibertyInstance b() {
        return cluster.b();
    }

    private WsClient user(LibertyInstance instance, String user) {
        return clients.authenticated(cluster.ws(instance), user);
    }

    // ------------------------------------------------------------------ a. Node server.send → our clients

    @Test
    @Order(1)
    void nodeServerSendsReachOurClients() {
        cluster.awaitReplication();
        NodeAgent node = cluster.node();
        String ua = t.user("ua");
        String ub = t.user("ub");
        WsClient ca = user(a(), ua);
        WsClient cb = user(b(), ub);
        WsClient other = user(b(), t.user("other"));
        WsClient anonA = clients.connected(cluster.ws(a()));
        awaitOnline(ua);
        awaitOnline(ub);
        NodeServer server = startSyncServer(node);
        try {
            String n1 = ClusterIT.connectNode(node, server.url(), t.user("n1"));
            serverSend(node, server, "G", null); // server.send(message): every connection, through Redis
            serverSend(node, server, "I", List.of(ua, ub)); // server.send(message, ids), sync on: both online
            serverSend(node, server, Traffic.MARK, null);

            t.expect("ua (a)", ca, "G", "I");
            t.expect("ub (b)", cb, "G", "I");
            t.expect("other (b)", other, "G");
            // Node's global send is ["*"]: every connection, authenticated or not (as for a Node Dispatcher)
            t.expect("anonymous on a", anonA, "G");
            t.expectNode("node client n1", until(node, n1), "G");
            // sync was on: the Node server took ua and ub for online, so it stored nothing for them
            assertEquals(0L, cluster.redisCall("HEXISTS", "undelivered_messages", ua), "nothing stored for " + ua);
            assertEquals(0L, cluster.redisCall("HEXISTS", "undelivered_messages", ub), "nothing stored for " + ub);
        } finally {
            stopServer(node, server);
        }
    }

    // ------------------------------------------------------------------ b. stored by Node → redelivered by us

    @Test
    @Order(2)
    void messagesStoredByTheNodeServerAndDispatcherAreRedeliveredByOurInstance() {
        cluster.awaitReplication();
        NodeAgent node = cluster.node();
        String off = t.user("off1");
        assertEquals(0L, cluster.redisCall("SISMEMBER", "connected_clients", off));
        NodeServer server = startSyncServer(node);
        try {
            // one store at a time: 1.5.8 stores with HGET + HSET, two concurrent stores lose one
            serverSend(node, server, "B1", List.of(off));
            awaitStored(off, "B1");
            syncDispatch(node, "B2", List.of(off));
            awaitStored(off, "B1", "B2");
            syncDispatch(node, "B3", List.of(off));
            awaitStored(off, "B1", "B2", "B3");
        } finally {
            stopServer(node, server);
        }

        // authenticates on instance b (op 22 checked first by Clients.authenticated), then s = 1..3
        WsClient c = user(b(), off);
        List<JsonObject> redelivered = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            try {
                redelivered.add(c.nextFrame(Traffic.ARRIVAL).json());
            } catch (AssertionError e) {
                throw new AssertionError(off + ": expected 3 redelivered frames after op 22, got " + redelivered + "; all frames "
                        + c.frames(), e);
            }
        }
        assertEquals(List.of(synced("B1", 1), synced("B2", 2), synced("B3", 3)), redelivered,
                off + ": the stored messages, in order, each exactly {op:0, d, t, s} (no o)");
        awaitNotStored(off);
        // nothing else (no second copy): a mark to the user, now online, through our Dispatcher on b
        cluster.dispatch(b(), t.to(Traffic.MARK, List.of(off), List.of()));
        t.expect(off + " (b) after redelivery", c);
    }

    // ------------------------------------------------------------------ c. stored by us → redelivered by Node

    @Test
    @Order(3)
    void messagesStoredByOurInstanceAreRedeliveredByTheNodeServer() {
        cluster.awaitReplication();
        NodeAgent node = cluster.node();
        String off = t.user("off2");
        assertEquals(0L, cluster.redisCall("SISMEMBER", "connected_clients", off));
        cluster.dispatch(a(), t.to("C1", List.of(off), List.of()));
        // a transient message (sync false) is never stored
        cluster.dispatch(a(), Json.createObjectBuilder(t.to("CT", List.of(off), List.of())).add("transient", true).build());
        cluster.dispatch(b(), t.to("C2", List.of(off), List.of()));
        awaitStored(off, "C1", "C2");

        NodeServer server = startSyncServer(node);
        try {
            // the real Node Client authenticates with shouldSync: true (its default); connectClient waits for op 22
            String n = ClusterIT.connectNode(node, server.url(), off);
            awaitOnline(off);
            // the Node server is one of ours now: our Dispatcher publishes to off instead of storing
            cluster.dispatch(a(), t.to(Traffic.MARK, List.of(off), List.of()));
            List<JsonObject> messages = until(node, n);
            List<JsonObject> frames = nodeFrames(node, n);
            List<JsonObject> ops = new ArrayList<>();
            for (JsonObject f : frames) {
                if (f.getInt("op", -1) != 10 && f.getInt("op", -1) != 1) { // hello and heartbeats aside
                    ops.add(f);
                }
            }
            JsonObject op22 = Json.createObjectBuilder().add("op", 22)
                    .add("d", Json.createObjectBuilder().add("id", off).add("name", "User " + off)).build();
            assertEquals(List.of(op22, synced("C1", 1), synced("C2", 2), t.frame(Traffic.MARK)), ops,
                    off + " on the Node server: op 22, then what our instances stored (s = 1, 2), then the mark; messages "
                            + messages);
            awaitNotStored(off);
        } finally {
            stopServer(node, server);
        }
    }

    // ------------------------------------------------------------------ d. presence: Node sync Dispatcher

    @Test
    @Order(4)
    void nodeSyncDispatcherSeesOurUsersOnlineAndPublishesToThem() {
        cluster.awaitReplication();
        NodeAgent node = cluster.node();
        String p = t.user("p");
        String q = t.user("q"); // connected nowhere
        WsClient pa = user(a(), p);
        WsClient pb = user(b(), p);
        awaitOnline(p);

        syncDispatch(node, "D1", List.of(p));
        syncDispatch(node, "D2", List.of(p, q));
        syncDispatch(node, Traffic.MARK, List.of(p));
        t.expect("p on a", pa, "D1", "D2");
        t.expect("p on b", pb, "D1", "D2");
        awaitStored(q, "D2");
        assertEquals(0L, cluster.redisCall("HEXISTS", "undelivered_messages", p), "p was online: nothing stored for it");

        // p's connection on a closes; p is still connected on b, so p stays online (1.5.8 would drop it)
        pa.close();
        Traffic.await(p + " down to one connection in {connected_clients}:mesa-connections", Duration.ofSeconds(10),
                () -> "1".equals(cluster.redisCall("HGET", "{connected_clients}:mesa-connections", p)));
        assertEquals(1L, cluster.redisCall("SISMEMBER", "connected_clients", p), p + " has a connection on b");
        Traffic t2 = new Traffic();
        syncDispatch(node, t2, "D3", List.of(p));
        syncDispatch(node, t2, Traffic.MARK, List.of(p));
        t2.expect("p on b, after p on a closed", pb, "D3");
        assertEquals(0L, cluster.redisCall("HEXISTS", "undelivered_messages", p), "p was online: nothing stored for it");
    }

    // ------------------------------------------------------------------ helpers

    private record NodeServer(String id, String url) {
    }

    private NodeServer startSyncServer(NodeAgent node) {
        long before = cluster.subscribers(cluster.key("ws"));
        JsonObject r = node.call("startSyncServer", Json.createObjectBuilder().add("redis", cluster.redis().uri()));
        NodeServer server = new NodeServer(r.getString("server"), r.getString("url"));
        try {
            Traffic.await("the Node Mesa sync server subscribed to " + cluster.key("ws"), Duration.ofSeconds(10),
                    () -> cluster.subscribers(cluster.key("ws")) > before);
        } catch (AssertionError e) {
            stopServer(node, server);
            throw e;
        }
        return server;
    }

    // ------------------------------------------------------------------ e. Node's messages in the resume log

    @Test
    @Order(5)
    void resumeClientsGetWhatNodeMesaPublishesAndStoresNumbered() {
        cluster.awaitReplication();
        NodeAgent node = cluster.node();
        String r = t.user("r");
        ResumeClients resumers = new ResumeClients();
        try {
            // acknowledges nothing, so the log keeps every entry and its length can be checked
            ResumeClient c = resumers.client("node-log", r, 1_000);
            c.connect(cluster.ws(b()));
            awaitOnline(r);
            // live: Node Dispatcher, our Dispatcher, Node Dispatcher; one of our instances logs Node's
            // (one at a time: two publishers' messages are ordered by when they are logged)
            plainDispatch(node, "R1", r);
            c.awaitProcessed(1, Duration.ofSeconds(15));
            cluster.dispatch(a(), t.to("R2", List.of(r), List.of()));
            c.awaitProcessed(2, Duration.ofSeconds(15));
            plainDispatch(node, "R3", r);
            c.awaitProcessed(3, Duration.ofSeconds(15));
            c.closeNormally();
            Traffic.await(r + " offline", Duration.ofSeconds(10),
                    () -> Long.valueOf(0).equals(cluster.redisCall("SISMEMBER", "connected_clients", r)));
            // away: the Node sync Dispatcher stores R4 in Mesa 1.x's hash; a plain one publishes R5 to nobody
            syncDispatch(node, "R4", List.of(r));
            awaitStored(r, "R4");
            plainDispatch(node, "R5", r);
            Traffic.await("R5 logged", Duration.ofSeconds(10), () -> Long.valueOf(4).equals(cluster.redisCall("XLEN", "{mesa:" + r + "}:log")));

            c.connect(cluster.ws(a()));
            c.awaitProcessed(5, Duration.ofSeconds(15));
            List<String> got = c.processed().stream().map(d -> d.s() + ":" + d.type()).toList();
            // R4 joins the log when the user resumes, after R5 which was logged when it was published
            assertEquals(List.of("1:R1", "2:R2", "3:R3", "4:R5", "5:R4"), got, c.describe());
            assertEquals(List.of(), c.unnumbered(), "nothing unnumbered\n" + c.describe());
            assertEquals(List.of(), c.duplicates(), "nothing twice\n" + c.describe());
            awaitNotStored(r);
        } finally {
            resumers.close();
        }
    }

    /** A Node 1.5.8 Dispatcher without sync: it publishes, whoever is online. */
    private void plainDispatch(NodeAgent node, String type, String user) {
        node.call("dispatch", t.nodeDispatch(cluster.redis().uri(), "", type, List.of(user), List.of()));
    }

    private static void stopServer(NodeAgent node, NodeServer server) {
        node.call("stopServer", Json.createObjectBuilder().add("server", server.id()));
    }

    /** The Node server's own {@code server.send(message[, recipients])}; recipients null: the global send. */
    private void serverSend(NodeAgent node, NodeServer server, String type, List<String> recipients) {
        JsonObjectBuilder req = Json.createObjectBuilder().add("server", server.id()).add("type", type).add("data", t.payload(type));
        if (recipients != null) {
            req.add("recipients", Traffic.array(recipients));
        }
        node.call("serverSend", req);
    }

    private void syncDispatch(NodeAgent node, String type, List<String> recipients) {
        syncDispatch(node, t, type, recipients);
    }

    /** A Node 1.5.8 Dispatcher with {@code sync.enabled}; returns once its PUBLISH (if any) ran. */
    private static void syncDispatch(NodeAgent node, Traffic traffic, String type, List<String> recipients) {
        node.call("syncDispatch", traffic.nodeDispatch(cluster.redis().uri(), "", type, recipients, List.of()));
    }

    /** A redelivered frame: exactly {op:0, d, t, s}. */
    private JsonObject synced(String type, int s) {
        return Json.createObjectBuilder(t.frame(type)).add("s", s).build();
    }

    private void awaitOnline(String user) {
        Traffic.await(user + " in connected_clients", Duration.ofSeconds(10),
                () -> Long.valueOf(1).equals(cluster.redisCall("SISMEMBER", "connected_clients", user)));
    }

    /** The types stored for {@code user} in undelivered_messages (empty when none). */
    private List<String> storedTypes(String user) {
        Object raw = cluster.redisCall("HGET", "undelivered_messages", user);
        List<String> types = new ArrayList<>();
        if (raw == null) {
            return types;
        }
        try (JsonReader r = Json.createReader(new StringReader((String) raw))) {
            for (JsonValue v : r.readArray()) {
                JsonObject m = v.asJsonObject();
                assertEquals(0, m.getInt("op", -1), "stored for " + user + ": " + raw);
                assertEquals(t.payload(m.getString("t")), m.get("d"), "stored for " + user + ": " + raw);
                types.add(m.getString("t"));
            }
        }
        return types;
    }

    /** Waits until exactly {@code types}, in this order, are stored for {@code user}. */
    private void awaitStored(String user, String... types) {
        List<String> expected = List.of(types);
        try {
            Traffic.await("undelivered_messages[" + user + "] == " + expected, STORE, () -> storedTypes(user).equals(expected));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it is " + cluster.redisCall("HGET", "undelivered_messages", user), e);
        }
    }

    private void awaitNotStored(String user) {
        try {
            Traffic.await("undelivered_messages[" + user + "] cleared after redelivery", STORE,
                    () -> Long.valueOf(0).equals(cluster.redisCall("HEXISTS", "undelivered_messages", user)));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it is " + cluster.redisCall("HGET", "undelivered_messages", user), e);
        }
    }

    /** The Node client's messages up to (and including) this test's MARK. */
    private static List<JsonObject> until(NodeAgent node, String client) {
        return node.call("until", Json.createObjectBuilder().add("client", client).add("type", Traffic.MARK).add("timeoutMs", 10_000),
                Duration.ofSeconds(15)).getJsonArray("messages").getValuesAs(JsonObject.class);
    }

    /** Every raw frame the Node client received. */
    private static List<JsonObject> nodeFrames(NodeAgent node, String client) {
        JsonArray frames = node.call("frames", Json.createObjectBuilder().add("client", client)).getJsonArray("frames");
        return frames.getValuesAs(JsonObject.class);
    }
}
