package dev.mesa.runtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.mesa.Message;
import dev.mesa.runtime.Envelope;
import dev.mesa.runtime.Envelope.Audience;
import dev.mesa.runtime.Frames;
import dev.mesa.runtime.RedisSettings;
import dev.mesa.runtime.Waits;

/**
 * The broker against a real Redis Cluster (three masters) and a real Sentinel-managed Redis, both
 * started here from the redis-server binary: the documented Cluster and Sentinel modes, exercised.
 */
class RedisTopologiesTest {

    private final List<Process> processes = new ArrayList<>();
    private final List<RedisBroker> brokers = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        brokers.forEach(RedisBroker::stop);
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor();
        }
    }

    @Test
    void clusterReplicatesKeepsPresenceAndStores() throws Exception {
        Path dir = Files.createTempDirectory("mesa-cluster");
        List<String> nodes = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int port = freePort();
            start(dir, "--port", Integer.toString(port), "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                    "--cluster-config-file", "nodes-" + port + ".conf", "--save", "", "--appendonly", "no",
                    "--dir", dir.toString());
            nodes.add("127.0.0.1:" + port);
        }
        List<String> create = new ArrayList<>(List.of("redis-cli", "--cluster", "create"));
        create.addAll(nodes);
        create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        Process p = new ProcessBuilder(create).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "redis-cli --cluster create failed");
        String first = nodes.get(0);
        Waits.until("cluster ok", () -> cli(first, "cluster", "info").contains("cluster_state:ok"));

        RedisSettings settings = new RedisSettings(null, null, List.of(), nodes, null, null, false,
                Duration.ofSeconds(2), Duration.ofSeconds(3));
        exercise(settings, key -> cli(nodes, key));
    }

    @Test
    void sentinelFindsTheMasterAndTheBrokerWorks() throws Exception {
        Path dir = Files.createTempDirectory("mesa-sentinel");
        int master = freePort();
        start(dir, "--port", Integer.toString(master), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no");
        int sentinel = freePort();
        Path conf = dir.resolve("sentinel.conf");
        Files.writeString(conf, "port " + sentinel + "\nbind 127.0.0.1\n"
                + "sentinel monitor mesa-master 127.0.0.1 " + master + " 1\n"
                + "sentinel down-after-milliseconds mesa-master 5000\n");
        start(dir, conf.toString(), "--sentinel");
        Waits.until("sentinel knows the master",
                () -> cli("127.0.0.1:" + sentinel, "sentinel", "get-master-addr-by-name", "mesa-master").contains(Integer.toString(master)));

        RedisSettings settings = new RedisSettings(null, "mesa-master", List.of("127.0.0.1:" + sentinel), List.of(),
                null, null, false, Duration.ofSeconds(2), Duration.ofSeconds(3));
        exercise(settings, key -> cli("127.0.0.1:" + master, key));
    }

    /** rediss:// with an ACL user, a password and a database: the URI form the guide documents, for real. */
    @Test
    void tlsWithAnAclUserAndADatabase() throws Exception {
        Path dir = Files.createTempDirectory("mesa-tls");
        String cert = dir.resolve("cert.pem").toString();
        String key = dir.resolve("key.pem").toString();
        String trust = dir.resolve("trust.p12").toString();
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
                "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1");
        run("keytool", "-importcert", "-noprompt", "-alias", "redis", "-file", cert, "-keystore", trust,
                "-storetype", "PKCS12", "-storepass", "changeit");
        assertTrue(Files.size(Path.of(trust)) > 0, "truststore made");
        // The JVM's default SSL context is built on first use; nothing in this module used TLS before.
        System.setProperty("javax.net.ssl.trustStore", trust);
        System.setProperty("javax.net.ssl.trustStorePassword", "changeit");
        System.setProperty("javax.net.ssl.trustStoreType", "PKCS12");
        int port = freePort();
        start(dir, "--port", "0", "--tls-port", Integer.toString(port), "--bind", "127.0.0.1",
                "--tls-cert-file", cert, "--tls-key-file", key, "--tls-ca-cert-file", cert, "--tls-auth-clients", "no",
                "--user", "default", "off", "--user", "mesa", "on", ">s3cret", "~*", "&*", "+@all",
                "--save", "", "--appendonly", "no");
        Waits.until("TLS redis on " + port, () -> {
            try (Socket sock = new Socket("127.0.0.1", port)) {
                return true;
            } catch (IOException e) {
                return false;
            }
        });
        RedisSettings settings = new RedisSettings(java.net.URI.create("rediss://mesa:s3cret@127.0.0.1:" + port + "/3"),
                null, List.of(), List.of(), null, null, false, Duration.ofSeconds(2), Duration.ofSeconds(3));
        exercise(settings, setKey -> run("redis-cli", "--tls", "--cacert", cert, "-h", "127.0.0.1", "-p", Integer.toString(port),
                "--user", "mesa", "--pass", "s3cret", "--no-auth-warning", "-n", "3", "smembers", setKey));
        String db0 = run("redis-cli", "--tls", "--cacert", cert, "-h", "127.0.0.1", "-p", Integer.toString(port),
                "--user", "mesa", "--pass", "s3cret", "--no-auth-warning", "-n", "0", "dbsize");
        assertEquals("0", db0.trim(), "everything went to database 3");
    }

    /** Two brokers as two instances: a publication crosses, presence and the store work. */
    private void exercise(RedisSettings settings, Cli redis) throws Exception {
        LinkedBlockingQueue<Envelope> atB = new LinkedBlockingQueue<>();
        RedisBroker a = new RedisBroker(settings, "topo", true, true, (m, users) -> { }, 100, Duration.ofHours(1));
        RedisBroker b = new RedisBroker(settings, "topo", true, true, (m, users) -> { }, 100, Duration.ofHours(1));
        brokers.add(a);
        brokers.add(b);
        a.start(e -> { }, e -> { });
        b.start(atB::add, e -> { });
        Waits.until("subscribed", () -> a.subscribed() && b.subscribed());

        Message m = Message.of("HELLO", Map.of());
        a.publish(new Envelope(m, Frames.frame(0, "{}", "HELLO", 0), Audience.AUTHENTICATED, Set.of(), Set.of()), Set.of(), Set.of());
        Envelope got = atB.poll(10, TimeUnit.SECONDS);
        assertEquals("{\"op\":0,\"d\":{},\"t\":\"HELLO\"}", got == null ? null : got.frame());

        a.connectionOpened();
        a.userBound("ann");
        Waits.until("ann in connected_clients", () -> redis.run("connected_clients_topo").contains("ann"));
        a.userUnbound("ann");
        Waits.until("ann gone", () -> !redis.run("connected_clients_topo").contains("ann"));

        a.publish(new Envelope(m, Frames.frame(0, "{\"n\":1}", "N", 0), Audience.USERS, Set.of("away"), Set.of()), Set.of("away"), Set.of());
        LinkedBlockingQueue<List<Message>> taken = new LinkedBlockingQueue<>();
        Waits.until("stored and taken", () -> {
            b.syncStore().take("away", taken::add);
            try {
                List<Message> l = taken.poll(2, TimeUnit.SECONDS);
                return l != null && l.size() == 1 && "N".equals(l.get(0).type());
            } catch (InterruptedException e) {
                return false;
            }
        });
    }

    /** Reads a key's members (a set) through redis-cli. */
    private interface Cli {
        String run(String setKey);
    }

    private String cli(List<String> clusterNodes, String setKey) {
        String[] hp = clusterNodes.get(0).split(":");
        return run("redis-cli", "-c", "-h", hp[0], "-p", hp[1], "smembers", setKey);
    }

    private static String cli(String node, String... args) {
        String[] hp = node.split(":");
        List<String> cmd = new ArrayList<>(List.of("redis-cli", "-h", hp[0], "-p", hp[1]));
        if (args.length == 1) {
            cmd.addAll(List.of("smembers", args[0]));
        } else {
            cmd.addAll(List.of(args));
        }
        return run(cmd.toArray(String[]::new));
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private void start(Path dir, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add("redis-server");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        processes.add(p);
        int port = -1;
        for (int i = 0; i < args.length - 1; i++) {
            if (args[i].equals("--port")) {
                port = Integer.parseInt(args[i + 1]);
            }
        }
        if (port > 0) {
            int target = port;
            Waits.until("redis-server on " + port, () -> {
                try (Socket s = new Socket("127.0.0.1", target)) {
                    return true;
                } catch (IOException e) {
                    return false;
                }
            });
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
