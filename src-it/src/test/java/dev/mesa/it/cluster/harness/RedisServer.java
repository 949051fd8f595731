package dev.mesa.it.cluster.harness;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A real {@code redis-server} (Debian package {@code redis-server}; {@code -Dmesa.it.redis.server} to
 * use another binary) on a free loopback port, without persistence:
 * {@code redis-server --port P --bind 127.0.0.1 --save '' --appendonly no}. Its log is
 * {@code <dir>/redis.log}. {@link #shutdown()} sends {@code SHUTDOWN NOSAVE} and kills it if it does not
 * exit; {@link #start()} after a shutdown reuses the same port (a Redis restart, as the servers see it).
 */
public final class RedisServer implements AutoCloseable {

    private static final long START_TIMEOUT_MS = 10_000;

    private final Path dir;
    private final String executable;
    private int port;
    private Process process;

    public RedisServer(Path dir) {
        this.dir = dir;
        this.executable = findExecutable();
    }

    /** Starts it (the first time on a new free port, afterwards on the same one) and waits for PING. */
    public synchronized RedisServer start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException("redis-server is already running on " + port);
        }
        boolean restart = port != 0;
        for (int attempt = 1; ; attempt++) {
            if (!restart) {
                port = Ports.free();
            }
            if (launch()) {
                return this;
            }
            if (restart || attempt == 3) {
                throw new IllegalStateException("redis-server did not start on 127.0.0.1:" + port
                        + "; its log " + dir.resolve("redis.log") + ":\n" + tail());
            }
        }
    }

    private boolean launch() {
        try {
            Files.createDirectories(dir);
            ProcessBuilder pb = new ProcessBuilder(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
                    "--dir", dir.toAbsolutePath().toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("redis.log").toFile()));
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + executable + " (install it: apt-get install -y redis-server,"
                    + " or set -Dmesa.it.redis.server=/path/to/redis-server)", e);
        }
        Reaper.register(process, dir.resolve("redis.pid"), "redis-server :" + port);
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (System.currentTimeMillis() < deadline) {
            if (!process.isAlive()) {
                Reaper.unregister(process);
                return false;
            }
            try (Resp r = Resp.connect(port)) {
                if ("PONG".equals(r.call("PING"))) {
                    log("redis-server " + uri() + " (pid " + process.pid() + ") is up");
                    return true;
                }
            } catch (RuntimeException notYet) {
                // not listening yet
            }
            sleep(50);
        }
        Reaper.end(process, 2000);
        return false;
    }

    /** {@code SHUTDOWN NOSAVE}; waits up to 10 s for the process to exit, then kills it. */
    public synchronized void shutdown() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            try (Resp r = Resp.connect(port)) {
                r.send("SHUTDOWN", "NOSAVE");
                r.timeout(2000).readPush(); // EOF or nothing: either way it is going
            } catch (RuntimeException ignored) {
                // already gone, or the reply is the EOF
            }
        }
        Reaper.end(process, 10_000);
        log("redis-server :" + port + " stopped");
        process = null;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** A new client connection (close it). */
    public Resp client() {
        return Resp.connect(port);
    }

    /** One command on a short-lived connection. */
    public Object call(String... args) {
        try (Resp r = client()) {
            return r.call(args);
        }
    }

    @Override
    public void close() {
        shutdown();
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(dir.resolve("redis.log"), StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private static String findExecutable() {
        String configured = System.getProperty("mesa.it.redis.server");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "redis-server"))) {
                return Path.of(dir, "redis-server").toString();
            }
        }
        for (String candidate : Set.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
            if (Files.isExecutable(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new IllegalStateException("redis-server is not installed: the cluster tests need a real Redis"
                + " (Debian/Ubuntu: apt-get install -y redis-server; or -Dmesa.it.redis.server=/path/to/redis-server)");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static void log(String s) {
        System.out.println("[cluster] " + s);
        System.out.flush();
    }
}
