package dev.mesa.it.cluster.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One Open Liberty server of the cluster, run from the runtime the module lays down
 * ({@code target/liberty/wlp}) with its OWN user directory and output directory:
 * <pre>
 * &lt;dir&gt;/usr/servers/mesaCluster/{server.xml, bootstrap.properties, jvm.options, dropins/&lt;war&gt;}   WLP_USER_DIR=&lt;dir&gt;/usr
 * &lt;dir&gt;/output/mesaCluster/logs/messages.log                                                 WLP_OUTPUT_DIR=&lt;dir&gt;/output
 * &lt;dir&gt;/console.log                                                                           stdout/stderr of the JVM
 * </pre>
 * It is started in the foreground ({@code bin/server run mesaCluster}, which execs the JVM), so the
 * harness holds the server JVM's own process handle: stopping is SIGTERM (Liberty's orderly stop),
 * then SIGKILL after a grace period.
 *
 * <p>The HTTP port is a free loopback port given in {@code bootstrap.properties}
 * ({@code mesa.cluster.http.port}); HTTPS is off. Liberty does not fail on a busy port, so the start
 * checks the log for the listener on that very port ({@code CWWKO0219I}) and retries on another port
 * after {@code CWWKO0221E}.
 */
public final class LibertyInstance implements AutoCloseable {

    public static final String SERVER_NAME = "mesaCluster";

    private final String name;
    private final Path wlp;
    private final Path dir;
    private final Map<String, String> env;
    private int port;
    private Process process;

    /**
     * @param name instance name (also {@code MESA_IT_INSTANCE} in its environment)
     * @param wlp  the Liberty installation
     * @param dir  this instance's directory (deleted and recreated by {@link #prepare})
     * @param env  extra environment (MESA_REDIS_URI, MESA_NAMESPACE)
     */
    public LibertyInstance(String name, Path wlp, Path dir, Map<String, String> env) {
        this.name = name;
        this.wlp = wlp;
        this.dir = dir;
        this.env = new LinkedHashMap<>(env);
        this.env.put("MESA_IT_INSTANCE", name);
    }

    /** Lays the server directory down: server.xml, jvm.options and the WAR in dropins. */
    public void prepare(String serverXml, String jvmOptions, Path war) {
        try {
            deleteTree(dir);
            Path server = serverDir();
            Files.createDirectories(server.resolve("dropins"));
            Files.createDirectories(dir.resolve("output"));
            Files.writeString(server.resolve("server.xml"), serverXml, StandardCharsets.UTF_8);
            Files.writeString(server.resolve("jvm.options"), jvmOptions, StandardCharsets.UTF_8);
            Files.copy(war, server.resolve("dropins").resolve(war.getFileName()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Liberty instance " + name + " in " + dir, e);
        }
    }

    /** Starts the JVM on a fresh free port (does not wait: see {@link #awaitStarted}). */
    public void launch() {
        port = Ports.free();
        try {
            Files.writeString(serverDir().resolve("bootstrap.properties"),
                    "mesa.cluster.http.port=" + port + "\n", StandardCharsets.UTF_8);
            Files.deleteIfExists(messagesLog());
            Path script = wlp.resolve("bin").resolve("server");
            ProcessBuilder pb = new ProcessBuilder(script.toString(), "run", SERVER_NAME, "--clean")
                    .directory(dir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("console.log").toFile()));
            Map<String, String> e = pb.environment();
            // Nothing of the caller's Liberty settings may leak in (HTTP_PORT would override ours, etc.)
            List.of("HTTP_PORT", "HTTPS_PORT", "WLP_USER_DIR", "WLP_OUTPUT_DIR", "LOG_DIR", "X_LOG_DIR", "PID_DIR",
                    "SERVER_WORKING_DIR", "JVM_ARGS", "OPENJ9_JAVA_OPTIONS", "IBM_JAVA_OPTIONS", "MESA_REDIS_URI",
                    "MESA_NAMESPACE", "MESA_REDIS_PRESENCE_TTL").forEach(e::remove);
            e.put("JAVA_HOME", System.getProperty("java.home"));
            e.put("WLP_USER_DIR", dir.resolve("usr").toAbsolutePath().toString());
            e.put("WLP_OUTPUT_DIR", dir.resolve("output").toAbsolutePath().toString());
            e.putAll(env);
            process = pb.start();
            Reaper.register(process, dir.resolve("liberty.pid"), "Liberty " + name + " :" + port);
            RedisServer.log("Liberty " + name + " starting (pid " + process.pid() + ") on http://127.0.0.1:" + port
                    + " with " + env);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Liberty instance " + name, e);
        }
    }

    /**
     * Waits until the server listens on its port, {@code app} has started ({@code CWWKZ0001I}) and the
     * server is ready ({@code CWWKF0011I}).
     *
     * @return false when the port was taken (CWWKO0221E): the caller stops and relaunches
     * @throws IllegalStateException when the server died, the application failed, or time ran out
     */
    public boolean awaitStarted(String app, long timeoutMillis) {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        String listening = "CWWKO0219I";
        while (true) {
            String log = read(messagesLog());
            if (log.contains("CWWKO0221E")) {
                return false;
            }
            boolean listens = log.lines().anyMatch(l -> l.contains(listening) && l.contains("port " + port + "."));
            boolean appStarted = log.lines().anyMatch(l -> l.contains("CWWKZ0001I") && l.contains(" " + app + " "));
            boolean ready = log.contains("CWWKF0011I");
            if (listens && appStarted && ready) {
                RedisServer.log("Liberty " + name + " ready on :" + port + " with " + app);
                return true;
            }
            for (String failure : List.of("CWWKZ0002E", "CWWKZ0004E", "CWWKZ0005E", "CWWKE0701E", "CWWKF0001E", "CWWKF0042E")) {
                if (log.contains(failure)) {
                    throw new IllegalStateException("Liberty " + name + ": " + failure + " while starting " + app
                            + "; messages.log " + messagesLog() + ":\n" + tail(log, 40));
                }
            }
            if (!process.isAlive()) {
                throw new IllegalStateException("Liberty " + name + " exited with " + process.exitValue() + " while starting; "
                        + dir.resolve("console.log") + ":\n" + tail(read(dir.resolve("console.log")), 40));
            }
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("Liberty " + name + " not ready with " + app + " within " + timeoutMillis
                        + " ms (listening " + listens + ", app started " + appStarted + ", server ready " + ready
                        + "); messages.log:\n" + tail(log, 40));
            }
            RedisServer.sleep(100);
        }
    }

    /** SIGTERM (Liberty stops in order), SIGKILL after {@code graceMillis}. */
    public void stop(long graceMillis) {
        if (process == null) {
            return;
        }
        boolean graceful = Reaper.end(process, graceMillis);
        RedisServer.log("Liberty " + name + " stopped" + (graceful ? "" : " (killed after " + graceMillis + " ms)"));
        process = null;
    }

    /** What {@link #kill9()} did. */
    public record Killed(long jvmPid, List<Long> otherPids, long signalledAtNanos, long goneAtNanos, int exitValue) {
    }

    /**
     * Crashes the server: SIGKILL to the server JVM itself (no shutdown hook, no orderly stop, nothing
     * withdrawn from Redis), then to whatever else of its process tree is left; returns once every one of
     * those processes is verified gone and the HTTP port refuses connections (bounded: 10 s each).
     *
     * <p>The JVM is found by its executable, not assumed: normally {@code bin/server run} execs the JVM,
     * so the launched process IS the JVM; should a wrapper (a shell) sit in between, the JVM is the
     * {@code java} descendant and the wrapper is killed after it. On Linux {@link ProcessHandle#destroyForcibly()}
     * is SIGKILL; when the JVM is the launched process its exit value (137 = 128 + 9) is checked.
     *
     * <p>Afterwards the instance counts as stopped: {@link #stop} does nothing, the pid file is gone.
     *
     * @throws IllegalStateException when the instance is not running, no JVM is found, or something survives
     */
    public Killed kill9() {
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("Liberty " + name + " is not running");
        }
        ProcessHandle launched = process.toHandle();
        List<ProcessHandle> tree = new ArrayList<>();
        tree.add(launched);
        tree.addAll(launched.descendants().toList());
        List<ProcessHandle> jvms = tree.stream().filter(LibertyInstance::isJava).toList();
        if (jvms.size() != 1) {
            throw new IllegalStateException("Liberty " + name + ": expected exactly one java process in the tree of pid "
                    + launched.pid() + ", found " + describe(tree));
        }
        ProcessHandle jvm = jvms.get(0);
        long signalled = System.nanoTime();
        if (!jvm.destroyForcibly()) {
            throw new IllegalStateException("Liberty " + name + ": SIGKILL to the JVM (pid " + jvm.pid() + ") was refused");
        }
        // then the rest of the tree (a wrapper, anything the JVM started), newest first
        List<ProcessHandle> others = new ArrayList<>(tree);
        others.remove(jvm);
        Collections.reverse(others);
        others.forEach(ProcessHandle::destroyForcibly);
        long gone;
        try {
            jvm.onExit().get(10, TimeUnit.SECONDS);
            gone = System.nanoTime();
            for (ProcessHandle h : others) {
                h.onExit().get(10, TimeUnit.SECONDS);
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("Liberty " + name + ": the launched process " + launched.pid() + " survived");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Liberty " + name + ": still alive 10 s after SIGKILL: " + describe(tree), e);
        }
        List<ProcessHandle> alive = tree.stream().filter(ProcessHandle::isAlive).toList();
        if (!alive.isEmpty() || ProcessHandle.of(jvm.pid()).filter(ProcessHandle::isAlive).isPresent()) {
            throw new IllegalStateException("Liberty " + name + ": survived SIGKILL: " + describe(alive));
        }
        int exit = process.exitValue();
        if (jvm.equals(launched) && exit != 128 + 9) {
            throw new IllegalStateException("Liberty " + name + ": the JVM exited with " + exit + ", not by SIGKILL (137)");
        }
        // the listening socket died with the process
        long deadline = System.currentTimeMillis() + 10_000;
        while (listens()) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("Liberty " + name + ": port " + port + " still accepts connections after SIGKILL");
            }
            RedisServer.sleep(50);
        }
        Reaper.unregister(process);
        process = null;
        List<Long> otherPids = others.stream().map(ProcessHandle::pid).toList();
        RedisServer.log("Liberty " + name + " killed with SIGKILL (JVM pid " + jvm.pid()
                + (otherPids.isEmpty() ? "" : ", then " + otherPids) + ", exit value " + exit + "); port " + port + " closed");
        return new Killed(jvm.pid(), otherPids, signalled, gone, exit);
    }

    private static boolean isJava(ProcessHandle h) {
        return h.info().command().map(c -> c.endsWith("/java") || c.equals("java")).orElse(false);
    }

    private static String describe(List<ProcessHandle> handles) {
        return handles.stream().map(h -> h.pid() + (h.isAlive() ? "" : " (gone)") + " " + h.info().command().orElse("?"))
                .toList().toString();
    }

    private boolean listens() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    @Override
    public void close() {
        stop(20_000);
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** {@code ws://127.0.0.1:<port><path>}. */
    public URI ws(String path) {
        return URI.create("ws://127.0.0.1:" + port + path);
    }

    /** {@code http://127.0.0.1:<port><path>}. */
    public URI http(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    public Path serverDir() {
        return dir.resolve("usr").resolve("servers").resolve(SERVER_NAME);
    }

    public Path messagesLog() {
        return dir.resolve("output").resolve(SERVER_NAME).resolve("logs").resolve("messages.log");
    }

    /** The whole messages.log so far. */
    public String log() {
        return read(messagesLog());
    }

    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (var s = Files.walk(p)) {
            for (Path x : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(x);
            }
        }
    }

    @Override
    public String toString() {
        return name + "(:" + port + ")";
    }
}
