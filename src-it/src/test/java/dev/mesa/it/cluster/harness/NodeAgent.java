package dev.mesa.it.cluster.harness;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Drives {@code src-it/interop/cluster/agent.cjs}: one long-lived Node.js process that uses the REAL
 * {@code @cryb/mesa@1.5.8} package (its {@code Dispatcher}, its {@code Server} with Redis, its Node
 * {@code Client}) on the harness's Redis. Requests and replies are JSON lines on stdin/stdout (replies
 * prefixed with {@code @@}); anything else the process prints is copied to the test log as
 * {@code [node-agent]}. The process exits when its stdin closes; {@link #close()} kills it if it does
 * not within 5 s.
 */
public final class NodeAgent implements AutoCloseable {

    private final Process process;
    private final OutputStream stdin;
    private final Map<Integer, CompletableFuture<JsonObject>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    private final CompletableFuture<Void> ready = new CompletableFuture<>();

    private NodeAgent(Process process) {
        this.process = process;
        this.stdin = process.getOutputStream();
        Thread reader = new Thread(this::pump, "node-agent-output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code node cluster/agent.cjs} in {@code interopDir} ({@code -Dmesa.it.node} for another node).
     */
    public static NodeAgent start(Path interopDir, Path pidFile) {
        if (!Files.isRegularFile(interopDir.resolve("node_modules/@cryb/mesa/package.json"))
                || !Files.isRegularFile(interopDir.resolve("node_modules/ioredis/package.json"))) {
            throw new IllegalStateException("@cryb/mesa (with ioredis) is not installed in " + interopDir.resolve("node_modules")
                    + ": run `npm ci --prefix src-it/interop` first");
        }
        String node = System.getProperty("mesa.it.node", "node");
        Process p;
        try {
            p = new ProcessBuilder(node, "cluster/agent.cjs").directory(interopDir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run `" + node + "` (Node.js 20+ must be on the PATH, or -Dmesa.it.node=...)", e);
        }
        Reaper.register(p, pidFile, "node agent.cjs");
        NodeAgent agent = new NodeAgent(p);
        try {
            agent.ready.get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            agent.close();
            throw new IllegalStateException("the node agent did not start within 20 s", e);
        }
        return agent;
    }

    /** Sends {@code {"cmd": cmd, ...fields}} and waits up to {@code timeout} for its reply. */
    public JsonObject call(String cmd, JsonObjectBuilder fields, Duration timeout) {
        int id = ids.incrementAndGet();
        JsonObject request = fields.add("id", id).add("cmd", cmd).build();
        CompletableFuture<JsonObject> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            synchronized (stdin) {
                stdin.write((request + "\n").getBytes(StandardCharsets.UTF_8));
                stdin.flush();
            }
            JsonObject r = reply.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!r.getBoolean("ok", false)) {
                throw new AssertionError("node agent " + cmd + " failed: " + r.getString("error", r.toString()));
            }
            return r;
        } catch (IOException e) {
            throw new UncheckedIOException("node agent is gone (" + cmd + ")", e);
        } catch (TimeoutException e) {
            throw new AssertionError("node agent: no reply to " + request + " within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            throw new AssertionError("node agent " + cmd + ": " + e.getCause(), e.getCause());
        } finally {
            pending.remove(id);
        }
    }

    public JsonObject call(String cmd, JsonObjectBuilder fields) {
        return call(cmd, fields, Duration.ofSeconds(15));
    }

    private void pump() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("@@")) {
                    JsonObject o;
                    try (JsonReader jr = Json.createReader(new StringReader(line.substring(2)))) {
                        o = jr.readObject();
                    }
                    if (o.containsKey("ready")) {
                        ready.complete(null);
                    } else {
                        CompletableFuture<JsonObject> f = pending.get(o.getInt("id", -1));
                        if (f != null) {
                            f.complete(o);
                        }
                    }
                } else {
                    System.out.println("[node-agent] " + line);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.out.println("[node-agent] (output closed: " + e + ")");
        } finally {
            ready.completeExceptionally(new IllegalStateException("node agent exited"));
            List.copyOf(pending.values()).forEach(f -> f.completeExceptionally(new IllegalStateException("node agent exited")));
        }
    }

    @Override
    public void close() {
        try {
            stdin.close(); // the agent closes its clients, servers and Redis connections and exits
        } catch (IOException ignored) {
            // already gone
        }
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                Reaper.end(process, 1000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            Reaper.end(process, 1000);
        }
    }
}
