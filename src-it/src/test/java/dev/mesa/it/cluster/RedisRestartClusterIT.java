package dev.mesa.it.cluster;

import dev.mesa.it.Clients;
import dev.mesa.it.client.WsClient;
import dev.mesa.it.cluster.harness.MesaCluster;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis goes away under a running two-instance deployment and comes back on the same port: each
 * instance keeps serving its own connections meanwhile, and replication resumes by itself (the
 * subscribers resubscribe) within a bounded time, without restarting any server.
 *
 * <p>The bound is {@code -Dmesa.it.cluster.redis.recovery} seconds (default 30).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(120)
class RedisRestartClusterIT {

    static final Duration RECOVERY = Duration.ofSeconds(Long.getLong("mesa.it.cluster.redis.recovery", 30));

    @RegisterExtension
    static final MesaCluster cluster = MesaCluster.withNamespace("");

    private final Clients clients = new Clients();
    private final Traffic t = new Traffic();

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @Test
    @Order(1)
    void instancesServeLocallyWhileRedisIsDownAndReplicateAgainWhenItReturns() {
        cluster.awaitReplication();
        WsClient a1 = clients.authenticated(cluster.ws(cluster.a()), t.user("a1"));
        WsClient a2 = clients.authenticated(cluster.ws(cluster.a()), t.user("a2"));
        WsClient b1 = clients.authenticated(cluster.ws(cluster.b()), t.user("b1"));

        cluster.redis().shutdown();

        // local sends on instance a still work, and the sender's handler is not held up by Redis
        Traffic.send(a1, t.to("L1", List.of(t.user("a2"), t.user("b1")), List.of()));
        assertEquals(t.frame("L1"), a2.nextMatching(f -> "L1".equals(f.getString("t", null)), Duration.ofSeconds(5)),
                "a local recipient while Redis is down");
        a1.nextMatching(f -> "SENT".equals(f.getString("t", null)), Duration.ofSeconds(5));
        Traffic.send(a1, t.global("L2"));
        assertEquals(t.frame("L2"), a1.nextMatching(f -> "L2".equals(f.getString("t", null)), Duration.ofSeconds(5)));
        assertEquals(t.frame("L2"), a2.nextMatching(f -> "L2".equals(f.getString("t", null)), Duration.ofSeconds(5)));
        // new connections are accepted and authenticated meanwhile, on both instances
        clients.authenticated(cluster.ws(cluster.a()), t.user("late-a")).echoRoundTrip("a while Redis is down");
        clients.authenticated(cluster.ws(cluster.b()), t.user("late-b")).echoRoundTrip("b while Redis is down");
        b1.echoRoundTrip("b1 still connected");

        cluster.redis().start(); // same port, empty (no persistence)

        long started = System.nanoTime();
        cluster.probeReplication(RECOVERY);
        System.out.println("[cluster] replication resumed " + Duration.ofNanos(System.nanoTime() - started).toMillis()
                + " ms after Redis came back");

        // targeted sends cross over again, both ways, to connections that outlived the outage
        Traffic.send(a1, t.to("X1", List.of(t.user("b1")), List.of()));
        assertEquals(t.frame("X1"), b1.nextMatching(f -> "X1".equals(f.getString("t", null)), Traffic.ARRIVAL));
        Traffic.send(b1, t.to("X2", List.of(t.user("a2")), List.of()));
        assertEquals(t.frame("X2"), a2.nextMatching(f -> "X2".equals(f.getString("t", null)), Traffic.ARRIVAL));
        for (var i : cluster.instances()) {
            assertEquals(i.name(), cluster.get(i, "instance"), "instance " + i + " kept running");
        }
        System.out.println("[cluster] after the restart: connected_clients = " + cluster.redisCall("SMEMBERS", "connected_clients")
                + ", connected_clients_count = " + cluster.redisCall("GET", "connected_clients_count"));
    }

    /**
     * The brief defines {@code connected_clients} as the users with at least one connection on any
     * instance and {@code connected_clients_count} as the open connections across instances. A Redis
     * without persistence comes back empty: once replication has resumed, both must describe the
     * connections that are open again, those opened before the outage and those opened during it.
     */
    @Test
    @Order(2)
    void presenceInRedisIsRightAgainAfterRedisReturns() {
        cluster.awaitReplication();
        String u1 = t.user("u1");
        String u2 = t.user("u2");
        String u3 = t.user("u3");
        clients.authenticated(cluster.ws(cluster.a()), u1);
        clients.authenticated(cluster.ws(cluster.b()), u2);

        cluster.redis().shutdown();
        clients.authenticated(cluster.ws(cluster.a()), u3).echoRoundTrip("opened while Redis is down");
        cluster.redis().start();
        cluster.probeReplication(RECOVERY);

        Set<String> expectedUsers = new TreeSet<>(List.of(u1, u2, u3));
        try {
            Traffic.await("connected_clients == " + expectedUsers + " and connected_clients_count == 3", Duration.ofSeconds(10), () -> {
                Object count = cluster.redisCall("GET", "connected_clients_count");
                Set<String> members = new TreeSet<>();
                ((List<?>) cluster.redisCall("SMEMBERS", "connected_clients")).forEach(m -> members.add((String) m));
                return "3".equals(count) && members.equals(expectedUsers);
            });
        } catch (AssertionError e) {
            throw new AssertionError("after Redis came back (empty) with 3 connections open (" + u1 + " on a and " + u2
                    + " on b from before the outage, " + u3 + " on a opened during it): connected_clients = "
                    + cluster.redisCall("SMEMBERS", "connected_clients") + ", connected_clients_count = "
                    + cluster.redisCall("GET", "connected_clients_count") + " (expected " + expectedUsers + " and 3)", e);
        }
    }
}
