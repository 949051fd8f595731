package dev.mesa.it.cluster;

import dev.mesa.runtime.redis.StandaloneDispatcher;
import dev.mesa.Dispatcher;
import dev.mesa.Message;
import dev.mesa.it.Clients;
import dev.mesa.it.client.WsClient;
import dev.mesa.it.cluster.harness.LibertyInstance;
import dev.mesa.it.cluster.harness.MesaCluster;
import dev.mesa.it.cluster.harness.NodeAgent;
import dev.mesa.it.cluster.harness.RedisWatch;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.StringReader;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two Liberty instances of one application on one real Redis (no namespace): messages sent on one
 * instance reach exactly the right connections on both; Mesa 1.5.8 Node Dispatchers and servers on
 * the same Redis interoperate; the presence keys Node reads are right; the Java SE
 * {@code StandaloneDispatcher} reaches both instances. See {@link MesaCluster} for the harness.
 *
 * <p>Every test proves absence with a {@link Traffic#MARK} sent after its messages through the same
 * route, never with a sleep.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class ClusterIT {

    @RegisterExtension
    static final MesaCluster cluster = MesaCluster.withNamespace("");

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

    /** An authenticated client of {@code user} on {@code instance}. */
    private WsClient user(LibertyInstance instance, String user) {
        return clients.authenticated(cluster.ws(instance), user);
    }

    /** An unauthenticated client on {@code instance} (hello consumed). */
    private WsClient anonymous(LibertyInstance instance) {
        return clients.connected(cluster.ws(instance));
    }

    // ------------------------------------------------------------------ the harness itself

    /** Needs no Redis support in the engine: each instance serves its own clients; Redis answers. */
    @Test
    @Order(0)
    void eachInstanceServesItsOwnClients() {
        assertEquals("PONG", cluster.redisCall("PING"));
        assertTrue(a().port() != b().port());
        for (LibertyInstance i : cluster.instances()) {
            assertEquals(i.name(), cluster.get(i, "instance"), "REST resource of instance " + i);
            WsClient c = user(i, t.user("solo-" + i.name()));
            c.echoRoundTrip("echo on " + i);
            Traffic.send(c, Json.createObjectBuilder().add("ids", Traffic.array(List.of(t.user("solo-" + i.name()))))
                    .add("type", "SELF").add("payload", t.payload("SELF")).build());
            assertEquals(t.frame("SELF"), c.nextMatching(f -> "SELF".equals(f.getString("t", null)), Duration.ofSeconds(5)));
            assertEquals("1", cluster.get(i, "count"), "connections on " + i);
        }
    }

    // ------------------------------------------------------------------ replication

    /** The clients of the replication tests: two users alone, one user on both instances, one anonymous on each. */
    private record Crowd(WsClient a1, WsClient xa, WsClient anonA, WsClient b1, WsClient xb, WsClient anonB) {
    }

    private Crowd crowd() {
        cluster.awaitReplication();
        return new Crowd(user(a(), t.user("a1")), user(a(), t.user("x")), anonymous(a()),
                user(b(), t.user("b1")), user(b(), t.user("x")), anonymous(b()));
    }

    @Test
    @Order(1)
    void globalSendOnOneInstanceReachesEveryConnectionOnBoth() {
        Crowd c = crowd();
        try (RedisWatch ws = new RedisWatch(cluster.redis(), "ws")) {
            Traffic.send(c.a1(), t.global("G"));
            Traffic.send(c.a1(), t.global(Traffic.MARK));
            t.expect("a1 (a)", c.a1(), "G");
            t.expect("x on a", c.xa(), "G");
            t.expect("anonymous on a", c.anonA(), "G");
            t.expect("b1 (b)", c.b1(), "G");
            t.expect("x on b", c.xb(), "G");
            t.expect("anonymous on b", c.anonB(), "G");

            // what went over Redis is what a Node Mesa server understands
            String published = ws.await("message.t == G", s -> s.contains("\"G\"") && s.contains(t.nonce), Duration.ofSeconds(5));
            JsonObject o = parse(published);
            JsonObject message = o.getJsonObject("message");
            assertEquals(0, message.getInt("op"), published);
            assertEquals("G", message.getString("t"), published);
            assertEquals(t.payload("G"), message.get("d"), published);
            assertEquals(Json.createArrayBuilder().add("*").build(), o.getJsonArray("recipients"), published);
        }
    }

    @Test
    @Order(2)
    void sendToIdsReachesThoseUsersOnBothInstances() {
        Crowd c = crowd();
        Traffic.send(c.a1(), t.to("I", List.of(t.user("b1"), t.user("x")), List.of()));
        Traffic.send(c.a1(), t.global(Traffic.MARK));
        t.expect("a1 (a)", c.a1());
        t.expect("x on a", c.xa(), "I");
        t.expect("anonymous on a", c.anonA());
        t.expect("b1 (b)", c.b1(), "I");
        t.expect("x on b", c.xb(), "I");
        t.expect("anonymous on b", c.anonB());
    }

    @Test
    @Order(3)
    void everyoneWithExclusionsReachesAuthenticatedConnectionsOnBothInstances() {
        Crowd c = crowd();
        // from instance b this time
        Traffic.send(c.b1(), t.to("S", List.of(Dispatcher.EVERYONE), List.of(t.user("x"))));
        Traffic.send(c.b1(), t.to("S2", List.of(Dispatcher.EVERYONE), List.of(t.user("a1"), t.user("b1"))));
        Traffic.send(c.b1(), t.global(Traffic.MARK));
        t.expect("a1 (a)", c.a1(), "S");
        t.expect("x on a", c.xa(), "S2");
        t.expect("anonymous on a", c.anonA());
        t.expect("b1 (b)", c.b1(), "S");
        t.expect("x on b", c.xb(), "S2");
        t.expect("anonymous on b", c.anonB());
    }

    @Test
    @Order(4)
    void injectedDispatcherOnOneInstanceReachesBothInstances() {
        Crowd c = crowd();
        cluster.dispatch(a(), t.to("R1", List.of(t.user("x")), List.of()));
        cluster.dispatch(a(), t.everyone("R2"));
        cluster.dispatch(a(), t.to("R3", List.of(Dispatcher.EVERYONE), List.of(t.user("a1"))));
        cluster.dispatch(a(), t.to(Traffic.MARK, List.of(Dispatcher.EVERYONE), List.of()));
        // anonymous connections get no Dispatcher message: their mark is a global send from instance a
        Traffic.send(c.a1(), t.global(Traffic.MARK));
        t.expect("a1 (a)", c.a1(), "R2");
        t.expect("x on a", c.xa(), "R1", "R2", "R3");
        t.expect("b1 (b)", c.b1(), "R2", "R3");
        t.expect("x on b", c.xb(), "R1", "R2", "R3");
        t.expect("anonymous on a", c.anonA());
        t.expect("anonymous on b", c.anonB());
    }

    // ------------------------------------------------------------------ Node Mesa 1.5.8 on the same Redis

    @Test
    @Order(5)
    void nodeDispatcherReachesClientsOnBothInstances() {
        Crowd c = crowd();
        NodeAgent node = cluster.node();
        nodeDispatch(node, "", "N1", List.of(t.user("a1"), t.user("x")), List.of());
        nodeDispatch(node, "", "N2", List.of("*"), List.of());
        // Node filters exclusions out of the recipients before publishing
        nodeDispatch(node, "", "N3", List.of(t.user("b1"), t.user("a1")), List.of(t.user("a1")));
        nodeDispatch(node, "", Traffic.MARK, List.of("*"), List.of());
        // Node semantics: ["*"] from a Dispatcher is every connection, authenticated or not
        t.expect("a1 (a)", c.a1(), "N1", "N2");
        t.expect("x on a", c.xa(), "N1", "N2");
        t.expect("anonymous on a", c.anonA(), "N2");
        t.expect("b1 (b)", c.b1(), "N2", "N3");
        t.expect("x on b", c.xb(), "N1", "N2");
        t.expect("anonymous on b", c.anonB(), "N2");
    }

    @Test
    @Order(6)
    void ourDispatcherAndMesaSendReachNodeMesaClients() {
        cluster.awaitReplication();
        NodeAgent node = cluster.node();
        long before = cluster.subscribers(cluster.key("ws"));
        JsonObject server = node.call("startServer", Json.createObjectBuilder().add("redis", cluster.redis().uri()));
        String serverId = server.getString("server");
        try {
            Traffic.await("the Node Mesa server subscribed to " + cluster.key("ws"), Duration.ofSeconds(10),
                    () -> cluster.subscribers(cluster.key("ws")) > before);
            String url = server.getString("url");
            String n1 = connectNode(node, url, t.user("n1"));
            String n2 = connectNode(node, url, t.user("n2"));
            WsClient ja = user(a(), t.user("ja"));
            WsClient jb = user(b(), t.user("jb"));

            cluster.dispatch(a(), t.to("R", List.of(t.user("n1")), List.of()));
            Traffic.send(ja, t.global("G"));
            cluster.dispatch(a(), t.to("D", List.of(t.user("n2"), t.user("jb")), List.of()));
            cluster.dispatch(a(), t.to(Traffic.MARK, List.of(Dispatcher.EVERYONE), List.of()));

            t.expectNode("node client n1", until(node, n1), "R", "G");
            t.expectNode("node client n2", until(node, n2), "G", "D");
            t.expect("ja (a)", ja, "G");
            t.expect("jb (b)", jb, "G", "D");
        } finally {
            node.call("stopServer", Json.createObjectBuilder().add("server", serverId));
        }
    }

    // ------------------------------------------------------------------ presence

    @Test
    @Order(7)
    void presenceInRedisFollowsConnectionsAcrossInstances() {
        cluster.awaitReplication();
        String set = cluster.key("connected_clients");
        String count = cluster.key("connected_clients_count");
        awaitCount(count, 0, "no connection left from earlier tests");
        String p = t.user("p");

        WsClient pa = user(a(), p);
        WsClient pb = user(b(), p);
        WsClient anon = anonymous(a());
        awaitCount(count, 3, "p on a, p on b, one anonymous");
        assertTrue(members(set).contains(p), set + " must contain " + p + ": " + members(set));
        assertEquals(1L, cluster.redisCall("SISMEMBER", set, p));

        pa.close();
        awaitCount(count, 2, "p on a closed");
        // a barrier for instance a's Redis work: one more connection there, counted after p's unbinding
        WsClient anon2 = anonymous(a());
        awaitCount(count, 3, "a second anonymous on a");
        assertEquals(1L, cluster.redisCall("SISMEMBER", set, p),
                p + " still has a connection on b: it must stay in " + set + " (Mesa 1.5.8 would remove it)");

        pb.close();
        Traffic.await(p + " removed from " + set + " after its last connection closed", Duration.ofSeconds(10),
                () -> Long.valueOf(0).equals(cluster.redisCall("SISMEMBER", set, p)));
        awaitCount(count, 2, "two anonymous connections left");

        anon.close();
        anon2.close();
        awaitCount(count, 0, "every connection closed");
        assertFalse(members(set).contains(p));
    }

    // ------------------------------------------------------------------ StandaloneDispatcher (Java SE)

    @Test
    @Order(8)
    void standaloneDispatcherInThisJvmReachesBothInstances() {
        Crowd c = crowd();
        StandaloneDispatcher d = StandaloneDispatcher.connect(cluster.redis().uri(), "");
        try {
            d.dispatch(Message.of("M1", t.payload("M1")), List.of(t.user("a1"), t.user("b1")));
            d.dispatch(Message.of("M2", t.payload("M2")));
            d.dispatch(Message.of("M3", t.payload("M3")), List.of(Dispatcher.EVERYONE), Set.of(t.user("a1")));
            d.dispatch(Message.of(Traffic.MARK, t.payload(Traffic.MARK)), List.of(Dispatcher.EVERYONE));
            t.expect("a1 (a)", c.a1(), "M1", "M2");
            t.expect("x on a", c.xa(), "M2", "M3");
            t.expect("b1 (b)", c.b1(), "M1", "M2", "M3");
            t.expect("x on b", c.xb(), "M2", "M3");
        } finally {
            d.close();
        }
        // dispatch(msg) and ["*"] mean authenticated connections: the anonymous ones got none of it
        Traffic.send(c.a1(), t.global(Traffic.MARK));
        t.expect("anonymous on a", c.anonA());
        t.expect("anonymous on b", c.anonB());
    }

    // ------------------------------------------------------------------ helpers

    private void nodeDispatch(NodeAgent node, String namespace, String type, List<String> recipients, List<String> excluding) {
        node.call("dispatch", t.nodeDispatch(cluster.redis().uri(), namespace, type, recipients, excluding));
    }

    static String connectNode(NodeAgent node, String url, String user) {
        JsonObject r = node.call("connectClient", Json.createObjectBuilder().add("url", url).add("user", user).add("label", user));
        assertEquals(Json.createObjectBuilder().add("id", user).add("name", "User " + user).build(), r.getJsonObject("user"),
                "op 22 of the Node server");
        return r.getString("client");
    }

    /** The Node client's messages up to (and including) this test's MARK. */
    private List<JsonObject> until(NodeAgent node, String client) {
        return node.call("until", Json.createObjectBuilder().add("client", client).add("type", Traffic.MARK).add("timeoutMs", 10_000),
                Duration.ofSeconds(15)).getJsonArray("messages").getValuesAs(JsonObject.class);
    }

    private void awaitCount(String key, long expected, String what) {
        try {
            Traffic.await(key + " == " + expected + " (" + what + ")", Duration.ofSeconds(10), () -> {
                Object v = cluster.redisCall("GET", key);
                return (v == null ? 0 : Long.parseLong((String) v)) == expected;
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it is " + cluster.redisCall("GET", key) + "; " + cluster.key("connected_clients")
                    + " = " + members(cluster.key("connected_clients")), e);
        }
    }

    private List<?> members(String set) {
        return (List<?>) cluster.redisCall("SMEMBERS", set);
    }

    static JsonObject parse(String json) {
        try (JsonReader r = Json.createReader(new StringReader(json))) {
            return r.readObject();
        }
    }
}
