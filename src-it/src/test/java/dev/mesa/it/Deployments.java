package dev.mesa.it;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.File;
import java.net.URI;
import java.util.Arrays;
import java.util.List;

/**
 * Builds the test WARs and the addresses the tests connect to.
 *
 * <p>Every WAR gets every jar of {@code target/mesa-libs} (system property {@code mesa.it.libs},
 * filled by maven-dependency-plugin in pre-integration-test from the reactor's Mesa modules) in
 * {@code WEB-INF/lib}, and the given MicroProfile Config properties.
 */
public final class Deployments {

    /** The IT server's HTTP port (server.xml). */
    public static final int HTTP_PORT = Integer.getInteger("mesa.it.http.port", 9280);

    private Deployments() {
    }

    /**
     * A WAR named {@code <name>.war} (context root {@code /<name>}) with the Mesa libraries,
     * the classes given and {@code META-INF/microprofile-config.properties} = {@code config}.
     */
    public static WebArchive war(String name, String config, Class<?>... classes) {
        WebArchive war = ShrinkWrap.create(WebArchive.class, name + ".war")
                .addClasses(classes)
                .addAsLibraries(mesaLibs())
                .addAsResource(new StringAsset(config), "META-INF/microprofile-config.properties");
        return war;
    }

    /** Every jar of target/mesa-libs; fails when the Mesa modules are not there. */
    public static File[] mesaLibs() {
        String dir = System.getProperty("mesa.it.libs");
        if (dir == null) {
            throw new IllegalStateException("system property mesa.it.libs is not set: run through Maven failsafe");
        }
        File[] jars = new File(dir).listFiles((d, n) -> n.endsWith(".jar"));
        if (jars == null || jars.length == 0) {
            throw new IllegalStateException("no jars in " + dir + ": maven-dependency-plugin copy-mesa-libs did not run");
        }
        List<String> names = Arrays.stream(jars).map(File::getName).toList();
        for (String required : List.of("mesa-api", "mesa-cdi-extension", "mesa-jakarta-ws")) {
            if (names.stream().noneMatch(n -> n.startsWith(required + "-"))) {
                throw new IllegalStateException(required + " is missing from " + dir + ": " + names);
            }
        }
        for (String forbidden : List.of("yasson", "parsson")) {
            if (names.stream().anyMatch(n -> n.startsWith(forbidden))) {
                throw new IllegalStateException(forbidden + " must not be packaged: " + names);
            }
        }
        return jars;
    }

    /** {@code ws://127.0.0.1:<port>/<context><path>}. */
    public static URI ws(String context, String path) {
        return URI.create("ws://127.0.0.1:" + HTTP_PORT + "/" + context + path);
    }

    /** {@code http://127.0.0.1:<port>/<context><path>}. */
    public static URI http(String context, String path) {
        return URI.create("http://127.0.0.1:" + HTTP_PORT + "/" + context + path);
    }

    /** The IT server's messages.log. */
    public static File messagesLog() {
        String dir = System.getProperty("mesa.it.server.dir");
        if (dir == null) {
            throw new IllegalStateException("system property mesa.it.server.dir is not set: run through Maven failsafe");
        }
        return new File(dir, "logs/messages.log");
    }
}
