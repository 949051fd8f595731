package dev.mesa.it.interop;

import dev.mesa.it.Deployments;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Interoperability with the real Mesa 1.x npm clients: deploys {@link InteropEndpoint} and runs
 * {@code node --test} in {@code src-it/interop} against it ({@code MESA_URL}). The Node tests drive
 * {@code @cryb/mesa@1.5.8}'s {@code Client}, {@code mesa-js-client@1.4.8} and a raw {@code ws}
 * client; see {@code src-it/interop/README.md}.
 *
 * <p>Needs Node.js 20+ on the PATH (or {@code -Dmesa.it.node=/path/to/node}) and the npm packages
 * installed with {@code npm ci --prefix src-it/interop}.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class InteropIT {

    static final String CONTEXT = "interop";
    static final String PATH = "/interop";

    /** The whole node run; the Node tests take about 10 s. */
    static final long TIMEOUT_SECONDS = Long.getLong("mesa.it.interop.timeout", 120);

    private static final int TAIL_LINES = 150;

    @Deployment(testable = false)
    static WebArchive war() {
        return Deployments.war(CONTEXT, resource("interop/microprofile-config.properties"), InteropEndpoint.class);
    }

    @Test
    void realMesaClientsInteroperate() throws Exception {
        Path dir = interopDir();
        for (String module : List.of("@cryb/mesa", "mesa-js-client", "ws")) {
            if (!Files.isRegularFile(dir.resolve("node_modules").resolve(module).resolve("package.json"))) {
                fail("The npm packages of the interop tests are not installed (" + dir.resolve("node_modules").resolve(module)
                        + " is missing): run `npm ci --prefix src-it/interop` from the repository root first");
            }
        }
        String node = System.getProperty("mesa.it.node", "node");
        String url = Deployments.ws(CONTEXT, PATH).toString();

        List<String> command = List.of(node, "--test", "--test-reporter=spec", "--test-concurrency=1",
                "--test-timeout=60000", "test/");
        log("node " + run(dir, List.of(node, "--version"), Map.of(), 20).output().strip()
                + ": " + String.join(" ", command) + " with MESA_URL=" + url);
        Result result = run(dir, command, Map.of("MESA_URL", url, "NO_COLOR", "1"), TIMEOUT_SECONDS);

        if (result.timedOut()) {
            fail("node --test did not finish within " + TIMEOUT_SECONDS + " s and was killed; last output:\n" + result.output());
        }
        assertEquals(0, result.exitCode(), () -> "node --test failed with exit code " + result.exitCode()
                + " (the Node tests' output is in the test log, lines starting with [node]); last output:\n" + result.output());
    }

    record Result(int exitCode, boolean timedOut, String output) {
    }

    /** Runs a command, copying each output line to the test log, killing it (and its children) on timeout. */
    private static Result run(Path dir, List<String> command, Map<String, String> env, long timeoutSeconds) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            fail("Cannot run `" + command.get(0) + "` (Node.js 20+ must be on the PATH, or set -Dmesa.it.node=/path/to/node): " + e);
            throw e;
        }
        Deque<String> tail = new ArrayDeque<>();
        Thread pump = new Thread(() -> pump(process.getInputStream(), tail), "node-output");
        pump.setDaemon(true);
        pump.start();
        boolean finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!finished) {
            List<ProcessHandle> children = new ArrayList<>(process.descendants().toList());
            children.forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        pump.join(5000);
        String output;
        synchronized (tail) {
            output = String.join("\n", tail);
        }
        return new Result(finished ? process.exitValue() : -1, !finished, output);
    }

    private static void pump(InputStream in, Deque<String> tail) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                log("[node] " + line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            log("[node] (output stream closed: " + e + ")");
        }
    }

    private static void log(String line) {
        System.out.println(line);
        System.out.flush();
    }

    private static Path interopDir() {
        String configured = System.getProperty("mesa.it.interop.dir");
        List<Path> candidates = configured != null
                ? List.of(Path.of(configured))
                : List.of(Path.of("interop"), Path.of("src-it", "interop"));
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate.resolve("package.json"))) {
                return candidate.toAbsolutePath();
            }
        }
        throw new IllegalStateException("src-it/interop not found (looked at " + candidates
                + "); set -Dmesa.it.interop.dir");
    }

    private static String resource(String name) {
        try (InputStream in = InteropIT.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
