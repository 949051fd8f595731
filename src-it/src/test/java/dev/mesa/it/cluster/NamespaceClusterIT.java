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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The same two-instance deployment with {@code MESA_NAMESPACE=itns} on both instances: channel
 * {@code ws_itns}, keys {@code connected_clients_itns} / {@code connected_clients_count_itns}. Node
 * Dispatchers and servers with that namespace interoperate; those without it (channel {@code ws}) are
 * a different application and must neither reach nor be reached.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(90)
class NamespaceClusterIT {

    static final String NS = "itns";

    @RegisterExtension
    static final MesaCluster cluster = MesaCluster.withNamespace(NS);

    private final Clients clients = new Clients();
    private final Traffic t = new Traffic();

    @AfterEach
    void closeClients() {
        clients.close();
    }

    private WsClient user(LibertyInstance instance, String user) {
        return clients.authenticated(cluster.ws(instance), user);
    }

    @Test
    @Order(1)
    void presenceKeysCarryTheNamespace() {
        cluster.awaitReplication();
        String p = t.user("p");
        user(cluster.a(), p);
        user(cluster.b(), t.user("q"));
        Traffic.await(p + " in connected_clients_" + NS, Duration.ofSeconds(10),
                () -> Long.valueOf(1).equals(cluster.redisCall("SISMEMBER", "connected_clients_" + NS, p)));
        Traffic.await("connected_clients_count_" + NS + " == 2", Duration.ofSeconds(10),
                () -> "2".equals(cluster.redisCall("GET", "connected_clients_count_" + NS)));
        assertEquals(0L, cluster.redisCall("SISMEMBER", "connected_clients", p), "the un-namespaced set must not be touched");
        assertEquals(0L, cluster.redisCall("EXISTS", "connected_clients_count"), "the un-namespaced counter must not be touched");
    }

    @Test
    @Order(2)
    void nodeDispatcherWithTheNamespaceReachesBothInstancesAndOneWithoutDoesNot() {
        cluster.awaitReplication();
        WsClient a1 = user(cluster.a(), t.user("a1"));
        WsClient b1 = user(cluster.b(), t.user("b1"));
        WsClient anonB = clients.connected(cluster.ws(cluster.b()));
        NodeAgent node = cluster.node();
        // another application's Dispatcher (no namespace): channel ws
        nodeDispatch(node, "", "W1", List.of("*"));
        nodeDispatch(node, "", "W2", List.of(t.user("a1"), t.user("b1")));
        nodeDispatch(node, NS, "N1", List.of(t.user("a1"), t.user("b1")));
        nodeDispatch(node, NS, "N2", List.of("*"));
        nodeDispatch(node, NS, Traffic.MARK, List.of("*"));
        t.expect("a1 (a)", a1, "N1", "N2");
        t.expect("b1 (b)", b1, "N1", "N2");
        t.expect("anonymous on b", anonB, "N2");
    }

    @Test
    @Order(3)
    void ourDispatcherReachesNodeMesaClientsOfTheNamespaceOnly() {
        cluster.awaitReplication();
        NodeAgent node = cluster.node();
        long before = cluster.subscribers("ws_" + NS);
        JsonObject inNs = node.call("startServer", Json.createObjectBuilder().add("redis", cluster.redis().uri()).add("namespace", NS));
        JsonObject other = node.call("startServer", Json.createObjectBuilder().add("redis", cluster.redis().uri()));
        try {
            Traffic.await("the Node Mesa server subscribed to ws_" + NS, Duration.ofSeconds(10),
                    () -> cluster.subscribers("ws_" + NS) > before);
            Traffic.await("the other Node Mesa server subscribed to ws", Duration.ofSeconds(10), () -> cluster.subscribers("ws") > 0);
            String n1 = ClusterIT.connectNode(node, inNs.getString("url"), t.user("n1"));
            String o1 = ClusterIT.connectNode(node, other.getString("url"), t.user("n1"));
            WsClient ja = user(cluster.a(), t.user("ja"));

            cluster.dispatch(cluster.a(), t.to("R", List.of(t.user("n1")), List.of()));
            Traffic.send(ja, t.global("G"));
            cluster.dispatch(cluster.a(), t.to(Traffic.MARK, List.of(Dispatcher.EVERYONE), List.of()));
            t.expectNode("node client n1 (namespace " + NS + ")", until(node, n1), "R", "G");
            t.expect("ja (a)", ja, "G");
            // instance a's publications up to its MARK went to ws_itns only; the other server's own mark comes after them
            nodeDispatch(node, "", Traffic.MARK, List.of("*"));
            t.expectNode("node client n1 of the server without namespace", until(node, o1));
        } finally {
            node.call("stopServer", Json.createObjectBuilder().add("server", inNs.getString("server")));
            node.call("stopServer", Json.createObjectBuilder().add("server", other.getString("server")));
        }
    }

    @Test
    @Order(4)
    void standaloneDispatcherWithTheNamespaceReachesBothInstancesAndOneWithoutDoesNot() {
        cluster.awaitReplication();
        WsClient a1 = user(cluster.a(), t.user("a1"));
        WsClient b1 = user(cluster.b(), t.user("b1"));
        StandaloneDispatcher plain = StandaloneDispatcher.connect(cluster.redis().uri(), "");
        try (RedisWatch ws = new RedisWatch(cluster.redis(), "ws")) {
            plain.dispatch(Message.of("W", t.payload("W")), List.of(t.user("a1"), t.user("b1")));
            // published (on the channel of the un-namespaced application) before the mark below is
            ws.await("W", s -> s.contains(t.nonce), Duration.ofSeconds(5));
        } finally {
            plain.close();
        }
        StandaloneDispatcher d = StandaloneDispatcher.connect(cluster.redis().uri(), NS);
        try {
            d.dispatch(Message.of("M1", t.payload("M1")), List.of(t.user("a1"), t.user("b1")));
            d.dispatch(Message.of("M2", t.payload("M2")), List.of(t.user("b1")));
            d.dispatch(Message.of(Traffic.MARK, t.payload(Traffic.MARK)), List.of(Dispatcher.EVERYONE));
            t.expect("a1 (a)", a1, "M1");
            t.expect("b1 (b)", b1, "M1", "M2");
        } finally {
            d.close();
        }
    }

    private void nodeDispatch(NodeAgent node, String namespace, String type, List<String> recipients) {
        node.call("dispatch", t.nodeDispatch(cluster.redis().uri(), namespace, type, recipients, List.of()));
    }

    private List<JsonObject> until(NodeAgent node, String client) {
        return node.call("until", Json.createObjectBuilder().add("client", client).add("type", Traffic.MARK).add("timeoutMs", 10_000),
                Duration.ofSeconds(15)).getJsonArray("messages").getValuesAs(JsonObject.class);
    }
}
