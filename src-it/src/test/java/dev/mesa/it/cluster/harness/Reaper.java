package dev.mesa.it.cluster.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Keeps track of every process the harness starts (redis-server, the Liberty JVMs, the Node agent) so
 * that none outlives the tests:
 * <ul>
 *   <li>each one is stopped by its owner at the end of the test class;</li>
 *   <li>a JVM shutdown hook kills whatever is still registered (failsafe timeout, Ctrl-C, a crash in
 *       {@code @AfterAll});</li>
 *   <li>each one gets a pid file ({@code <pid> <start instant> <what>}) under {@code target/cluster}; a
 *       later run kills the processes of an earlier run that was itself killed with SIGKILL, checking
 *       pid AND start instant so that a reused pid is never touched.</li>
 * </ul>
 * Processes are only ever ended by their own handle: never by name.
 */
public final class Reaper {

    private static final Map<Long, Registered> LIVE = new ConcurrentHashMap<>();

    private record Registered(Process process, Path pidFile, String what) {
    }

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Reaper::killAll, "mesa-cluster-reaper"));
    }

    private Reaper() {
    }

    /** Registers a started process and writes its pid file. */
    public static void register(Process process, Path pidFile, String what) {
        LIVE.put(process.pid(), new Registered(process, pidFile, what));
        Instant started = process.info().startInstant().orElse(Instant.EPOCH);
        try {
            Files.createDirectories(pidFile.getParent());
            Files.writeString(pidFile, process.pid() + " " + started + " " + what + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            // the pid file is only a safety net
        }
    }

    /** The process is over: forgets it and deletes its pid file. */
    public static void unregister(Process process) {
        Registered r = LIVE.remove(process.pid());
        if (r != null) {
            try {
                Files.deleteIfExists(r.pidFile);
            } catch (IOException ignored) {
                // best effort
            }
        }
    }

    /**
     * Ends a process: SIGTERM, then after {@code graceMillis} SIGKILL (the process and its descendants).
     *
     * @return whether it exited within the grace period by itself
     */
    public static boolean end(Process process, long graceMillis) {
        boolean graceful = false;
        try {
            if (process.isAlive()) {
                List<ProcessHandle> descendants = process.descendants().toList();
                process.destroy();
                graceful = process.waitFor(graceMillis, TimeUnit.MILLISECONDS);
                if (!graceful) {
                    descendants.forEach(ProcessHandle::destroyForcibly);
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    process.waitFor(10, TimeUnit.SECONDS);
                }
                descendants.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
            } else {
                graceful = true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        } finally {
            unregister(process);
        }
        return graceful;
    }

    /** Kills every registered process at once (shutdown hook). */
    static void killAll() {
        for (Registered r : List.copyOf(LIVE.values())) {
            if (r.process.isAlive()) {
                System.err.println("[cluster] killing leftover " + r.what + " (pid " + r.process.pid() + ")");
                r.process.descendants().forEach(ProcessHandle::destroyForcibly);
                r.process.destroyForcibly();
            }
            unregister(r.process);
        }
    }

    /**
     * Kills processes recorded in pid files under {@code root} by an earlier run that never cleaned up
     * (only if pid and start instant both match), and deletes those files.
     */
    public static void killStale(Path root) {
        if (!Files.isDirectory(root)) {
            return;
        }
        List<Path> pidFiles;
        try (Stream<Path> s = Files.walk(root, 4)) {
            pidFiles = s.filter(p -> p.getFileName().toString().endsWith(".pid")).toList();
        } catch (IOException e) {
            return;
        }
        for (Path f : pidFiles) {
            try {
                String[] parts = Files.readString(f).trim().split(" ", 3);
                long pid = Long.parseLong(parts[0]);
                Instant started = Instant.parse(parts[1]);
                Optional<ProcessHandle> h = ProcessHandle.of(pid);
                if (h.isPresent() && h.get().isAlive() && !LIVE.containsKey(pid)
                        && h.get().info().startInstant().map(started::equals).orElse(false)) {
                    System.err.println("[cluster] killing stale " + (parts.length > 2 ? parts[2] : "process")
                            + " (pid " + pid + ") left by an earlier run, from " + f);
                    h.get().descendants().forEach(ProcessHandle::destroyForcibly);
                    h.get().destroyForcibly();
                    h.get().onExit().get(10, TimeUnit.SECONDS);
                }
                Files.deleteIfExists(f);
            } catch (Exception e) {
                // unreadable or already gone: ignore
            }
        }
    }
}
