package dev.mesa.bench;

import dev.mesa.it.Deployments;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The benchmark WAR, {@code mesa-bench.war} (context root {@code /mesa-bench}): {@link BenchEndpoint} at
 * {@code /bench}, {@link BareEndpoint} at {@code /bare}, {@code bench/microprofile-config.properties} and
 * every jar of the Mesa libraries directory (system property {@code mesa.it.libs}).
 *
 * <p>{@code main} writes it for the benchmark runner ({@code ./mvnw -Pbench -DskipTests -pl src-it -am verify});
 * {@link BenchContractIT} deploys the same WAR.
 */
public final class BenchWar {

    /** Context root and file name. */
    public static final String APP = "mesa-bench";

    private BenchWar() {
    }

    public static WebArchive war() {
        return Deployments.war(APP, resource("bench/microprofile-config.properties"),
                BenchEndpoint.class, BenchEndpoint.Bench.class, BareEndpoint.class, BareEndpoint.Outbound.class,
                BroadcastRequest.class);
    }

    /** {@code BenchWar <file.war>}: writes the WAR there, replacing an older one. */
    public static void main(String[] args) {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: BenchWar <path of the WAR to write>");
        }
        File target = new File(args[0]).getAbsoluteFile();
        File dir = target.getParentFile();
        if (!dir.isDirectory() && !dir.mkdirs()) {
            throw new UncheckedIOException(new IOException("cannot create " + dir));
        }
        war().as(ZipExporter.class).exportTo(target, true);
        System.out.println("[bench] wrote " + target);
    }

    private static String resource(String name) {
        try (InputStream in = BenchWar.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException(name + " is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
