package dev.mesa.it.cluster.harness;

import dev.mesa.it.Deployments;
import dev.mesa.it.cluster.app.ClusterEndpoint;
import dev.mesa.it.cluster.app.ClusterResource;
import dev.mesa.it.cluster.app.ClusterRestApplication;
import dev.mesa.it.app.Sends;
import dev.mesa.it.app.StandardHandlers;
import dev.mesa.it.app.Users;
import dev.mesa.it.client.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * JUnit 5 extension: a real two-instance Mesa deployment per test class, without Arquillian.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final MesaCluster cluster = MesaCluster.withNamespace("");
 * </pre>
 *
 * <p>{@code beforeAll}:
 * <ol>
 *   <li>kills processes an earlier, SIGKILLed run left behind (pid files under {@code target/cluster});</li>
 *   <li>starts {@code redis-server --port <free> --bind 127.0.0.1 --save '' --appendonly no};</li>
 *   <li>builds the WAR {@code mesa-cluster.war} with ShrinkWrap ({@link ClusterEndpoint} at {@code /cluster},
 *       {@link ClusterResource} at {@code /api/cluster}, every jar of {@code target/mesa-libs});</li>
 *   <li>starts two Liberty servers ("a" and "b") from {@code target/liberty/wlp} side by side, each with its
 *       own WLP_USER_DIR/WLP_OUTPUT_DIR under {@code target/cluster/<TestClass>/<a|b>}, a free loopback
 *       HTTP port, the WAR in dropins, and {@code MESA_REDIS_URI=redis://127.0.0.1:<redis port>}
 *       ({@code MESA_NAMESPACE} when a namespace is given); waits for CWWKZ0001I of the WAR on both
 *       (bounded: 120 s).</li>
 * </ol>
 * {@code afterAll} (and on a failed start): the Node agent, both servers (SIGTERM, SIGKILL after 20 s)
 * and Redis ({@code SHUTDOWN NOSAVE}, kill after 10 s); a JVM shutdown hook kills whatever is left.
 *
 * <p>Ports: all on 127.0.0.1, each asked from the kernel (ephemeral range) when needed, never
 * 9080/9443/9280/9643/6379; written to {@code target/cluster/<TestClass>/ports.properties} and logged.
 */
public final class MesaCluster implements BeforeAllCallback, AfterAllCallback {

    /** Context root of the cluster WAR. */
    public static final String APP = "mesa-cluster";
    /** Path of the endpoint inside the WAR. */
    public static final String ENDPOINT = "/cluster";

    private static final long SERVER_START_TIMEOUT_MS = Long.getLong("mesa.it.cluster.start.timeout", 120) * 1000;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String namespace;
    private final Map<String, String> extraEnv;
    private RedisServer redis;
    private LibertyInstance a;
    private LibertyInstance b;
    private NodeAgent node;
    private Path base;
    private boolean replicating;

    private MesaCluster(String namespace, Map<String, String> extraEnv) {
        this.namespace = namespace == null ? "" : namespace;
        this.extraEnv = Map.copyOf(extraEnv);
    }

    /** Two instances on one Redis, with {@code MESA_NAMESPACE=namespace} (empty: none). */
    public static MesaCluster withNamespace(String namespace) {
        return new MesaCluster(namespace, Map.of());
    }

    /**
     * The same cluster with one more environment variable for both servers (e.g.
     * {@code MESA_REDIS_PRESENCE_TTL=3s}, which MicroProfile Config maps to {@code mesa.redis.presence-ttl}):
     * a setting for one test class only.
     */
    public MesaCluster withEnv(String name, String value) {
        Map<String, String> env = new LinkedHashMap<>(extraEnv);
        env.put(name, value);
        return new MesaCluster(namespace, env);
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void beforeAll(ExtensionContext context) {
        Path root = Path.of(System.getProperty("mesa.it.cluster.dir", "target/cluster")).toAbsolutePath();
        base = root.resolve(context.getRequiredTestClass().getSimpleName());
        // Only this class's own leftovers: another build may be running other classes from the same tree.
        Reaper.killStale(base);
        Path wlp = wlp();
        try {
            LibertyInstance.deleteTree(base);
            Files.createDirectories(base);
            redis = new RedisServer(base.resolve("redis")).start();

            Path war = base.resolve(APP + ".war");
            war().as(ZipExporter.class).exportTo(war.toFile(), true);

            Map<String, String> env = new LinkedHashMap<>();
            env.put("MESA_REDIS_URI", redis.uri());
            if (!namespace.isEmpty()) {
                env.put("MESA_NAMESPACE", namespace);
            }
            env.putAll(extraEnv);
            String serverXml = resource("cluster/server.xml");
            String jvmOptions = resource("cluster/jvm.options");
            a = new LibertyInstance("a", wlp, base.resolve("a"), env);
            b = new LibertyInstance("b", wlp, base.resolve("b"), env);
            for (LibertyInstance i : List.of(a, b)) {
                i.prepare(serverXml, jvmOptions, war);
                i.launch();
            }
            // both JVMs start concurrently; wait for each (relaunching on a port someone took meanwhile)
            for (LibertyInstance i : List.of(a, b)) {
                for (int attempt = 1; !i.awaitStarted(APP, SERVER_START_TIMEOUT_MS); attempt++) {
                    RedisServer.log("Liberty " + i.name() + ": port " + i.port() + " was taken (CWWKO0221E), relaunching");
                    i.stop(20_000);
                    if (attempt == 3) {
                        throw new IllegalStateException("Liberty " + i.name() + " found no free port in 3 attempts");
                    }
                    i.launch();
                }
            }
            String ports = "redis=" + redis.port() + "\na.http=" + a.port() + "\nb.http=" + b.port() + "\n";
            Files.writeString(base.resolve("ports.properties"), ports, StandardCharsets.UTF_8);
            RedisServer.log(context.getRequiredTestClass().getSimpleName() + ": redis " + redis.uri() + ", a http://127.0.0.1:"
                    + a.port() + ", b http://127.0.0.1:" + b.port() + (namespace.isEmpty() ? "" : ", namespace " + namespace)
                    + "; logs under " + base);
        } catch (RuntimeException | Error e) {
            stopAll();
            throw e;
        } catch (IOException e) {
            stopAll();
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        stopAll();
    }

    /** Stops everything that runs; each step bounded, every step attempted. */
    private void stopAll() {
        List<Throwable> problems = new ArrayList<>();
        if (node != null) {
            try {
                node.close();
            } catch (RuntimeException e) {
                problems.add(e);
            }
            node = null;
        }
        // both servers stop concurrently (each SIGTERM, SIGKILL after 20 s)
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (LibertyInstance i : new LibertyInstance[] {a, b}) {
            if (i != null) {
                stops.add(CompletableFuture.runAsync(() -> i.stop(20_000)));
            }
        }
        for (CompletableFuture<Void> f : stops) {
            try {
                f.get(40, TimeUnit.SECONDS);
            } catch (Exception e) {
                problems.add(e);
            }
        }
        if (redis != null) {
            try {
                redis.shutdown();
            } catch (RuntimeException e) {
                problems.add(e);
            }
        }
        Reaper.killAll(); // anything still registered (there should be nothing)
        if (!problems.isEmpty()) {
            problems.forEach(p -> System.err.println("[cluster] problem while stopping: " + p));
        }
    }

    // ------------------------------------------------------------------ the deployment

    /** The cluster WAR. */
    public static WebArchive war() {
        return Deployments.war(APP, resource("cluster/microprofile-config.properties"),
                ClusterEndpoint.class, ClusterResource.class, ClusterRestApplication.class,
                Users.class, Users.User.class, Sends.class, StandardHandlers.class);
    }

    public LibertyInstance a() {
        return a;
    }

    public LibertyInstance b() {
        return b;
    }

    public List<LibertyInstance> instances() {
        return List.of(a, b);
    }

    public RedisServer redis() {
        return redis;
    }

    /** The namespace both instances were given (empty: none). */
    public String namespace() {
        return namespace;
    }

    /** A Mesa Redis name with the namespace suffix: {@code connected_clients} → {@code connected_clients_<ns>}. */
    public String key(String name) {
        return namespace.isEmpty() ? name : name + "_" + namespace;
    }

    /** The endpoint of {@code instance}: {@code ws://127.0.0.1:<port>/mesa-cluster/cluster}. */
    public URI ws(LibertyInstance instance) {
        return instance.ws("/" + APP + ENDPOINT);
    }

    /** {@code @Inject Dispatcher} on {@code instance}: POST {@code /api/cluster/dispatch} with {@code body}. */
    public void dispatch(LibertyInstance instance, JsonObject body) {
        URI uri = instance.http("/" + APP + "/api/cluster/dispatch");
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        HttpResponse<String> response = send(request);
        if (response.statusCode() != 200 || !"ok".equals(response.body())) {
            throw new AssertionError("POST " + uri + " " + body + " answered " + response.statusCode() + ": " + response.body());
        }
    }

    /** GET {@code /api/cluster/<what>} on {@code instance}. */
    public String get(LibertyInstance instance, String what) {
        URI uri = instance.http("/" + APP + "/api/cluster/" + what);
        HttpResponse<String> response = send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build());
        if (response.statusCode() != 200) {
            throw new AssertionError("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(request.method() + " " + request.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The Node agent (real @cryb/mesa 1.5.8), started on first use, stopped after the class. */
    public synchronized NodeAgent node() {
        if (node == null) {
            node = NodeAgent.start(interopDir(), base.resolve("node-agent.pid"));
        }
        return node;
    }

    /** One Redis command on a short-lived connection. */
    public Object redisCall(String... args) {
        return redis.call(args);
    }

    /** {@code PUBSUB NUMSUB <channel>}. */
    public long subscribers(String channel) {
        List<?> r = (List<?>) redis.call("PUBSUB", "NUMSUB", channel);
        return (Long) r.get(1);
    }

    /**
     * Waits (once per class, then remembered) until a global {@code Mesa.send} on each instance reaches a
     * client of the other one: both instances subscribe and publish. Call it before a test that needs
     * replication, before its own clients connect. Bounded by 30 s.
     */
    public synchronized void awaitReplication() {
        if (!replicating) {
            probeReplication(Duration.ofSeconds(30));
            replicating = true;
        }
    }

    /**
     * Probes both directions until a global send crosses over, within {@code timeout}; clients of the probe
     * (unauthenticated) are closed afterwards. Fails the test with the NUMSUB counts and the log tails.
     */
    public void probeReplication(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (WsClient pa = WsClient.connect(ws(a)); WsClient pb = WsClient.connect(ws(b))) {
            pa.hello();
            pb.hello();
            cross(pa, pb, "a→b", deadline, timeout);
            cross(pb, pa, "b→a", deadline, timeout);
        }
    }

    private void cross(WsClient from, WsClient to, String direction, long deadline, Duration timeout) {
        for (int n = 0; ; n++) {
            String marker = "probe-" + direction + "-" + n;
            from.dispatch("SEND", Json.createObjectBuilder().add("global", true).add("type", "PROBE")
                    .add("payload", Json.createObjectBuilder().add("marker", marker)).build());
            try {
                to.nextMatching(o -> "PROBE".equals(o.getString("t", null))
                        && marker.equals(o.getJsonObject("d").getString("marker", null)), Duration.ofMillis(500));
                return;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    String numsub;
                    try {
                        numsub = "PUBSUB NUMSUB " + key("ws") + " = " + subscribers(key("ws"));
                    } catch (RuntimeException e) {
                        numsub = "redis unreachable: " + e;
                    }
                    throw new AssertionError("no replication " + direction + " within " + timeout.toMillis() + " ms (" + numsub
                            + "): a global Mesa.send on one instance never reached a client of the other.\n--- a messages.log tail:\n"
                            + LibertyInstance.tail(a.log(), 15) + "\n--- b messages.log tail:\n" + LibertyInstance.tail(b.log(), 15));
                }
            }
        }
    }

    // ------------------------------------------------------------------ paths

    private static Path wlp() {
        String configured = System.getProperty("mesa.it.wlp.dir");
        Path wlp = configured != null ? Path.of(configured) : Path.of("target", "liberty", "wlp");
        if (!Files.isExecutable(wlp.resolve("bin").resolve("server"))) {
            throw new IllegalStateException("no Liberty runtime at " + wlp.toAbsolutePath()
                    + ": run through Maven failsafe (liberty-maven-plugin lays it down in pre-integration-test)");
        }
        return wlp.toAbsolutePath();
    }

    private static Path interopDir() {
        String configured = System.getProperty("mesa.it.interop.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("interop");
        if (!Files.isRegularFile(dir.resolve("cluster").resolve("agent.cjs"))) {
            throw new IllegalStateException("src-it/interop/cluster/agent.cjs not found under " + dir.toAbsolutePath()
                    + "; set -Dmesa.it.interop.dir");
        }
        return dir.toAbsolutePath();
    }

    static String resource(String name) {
        try (InputStream in = MesaCluster.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
