package dev.mesa.it;

import dev.mesa.it.client.Await;
import dev.mesa.it.client.WsClient;
import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WAR with invalid endpoints fails to deploy, and every problem is reported at once in the
 * server log as {@code MESA-0xx: <Class#member>: what is wrong and how to fix}:
 * <ul>
 *   <li>two {@code @OnMessage("X")} handlers on one endpoint;</li>
 *   <li>message sync enabled although no endpoint of the WAR has an {@code @OnAuthenticate};</li>
 *   <li>authentication required on an endpoint without {@code @OnAuthenticate};</li>
 *   <li>an unparsable duration ({@code mesa.endpoint.dup.heartbeat.interval=banana}, MESA-010).</li>
 * </ul>
 * Deployed by hand (managed = false) so the test can assert the failure and then read messages.log.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class InvalidDeploymentIT {

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = "bad", managed = false, testable = false)
    static WebArchive war() {
        return TestApps.bad();
    }

    @Test
    void invalidEndpointsFailTheDeploymentWithEveryProblemLogged() {
        long logStart = Deployments.messagesLog().length();
        try {
            assertThrows(Exception.class, () -> deployer.deploy("bad"), "an invalid Mesa application must not deploy");
        } finally {
            try {
                deployer.undeploy("bad");
            } catch (RuntimeException ignored) {
                // nothing deployed
            }
        }
        List<Pattern> expected = List.of(
                Pattern.compile("MESA-0\\d\\d: [\\w.$]*DuplicateHandlerEndpoint#(first|second)\\b"),
                Pattern.compile("MESA-0\\d\\d: [^\\n]*mesa\\.sync\\.enabled[^\\n]*@OnAuthenticate"),
                Pattern.compile("MESA-0\\d\\d: [\\w.$]*NoAuthenticatorEndpoint\\b[^\\n]*@OnAuthenticate"),
                Pattern.compile("MESA-010: [^\\n]*mesa\\.endpoint\\.dup\\.heartbeat\\.interval"));
        String[] log = new String[1];
        try {
            Await.until("every MESA-0xx problem in messages.log", Duration.ofSeconds(10), () -> {
                log[0] = newLog(logStart);
                return expected.stream().allMatch(p -> p.matcher(log[0]).find());
            });
        } catch (AssertionError e) {
            List<Pattern> missing = expected.stream().filter(p -> !p.matcher(log[0]).find()).toList();
            throw new AssertionError("messages.log lacks " + missing + "; MESA lines logged:\n"
                    + String.join("\n", log[0].lines().filter(l -> l.contains("MESA-")).distinct().toList()), e);
        }
        assertTrue(log[0].contains("CWWKZ0002E"), "Liberty reports the application failed to start");

        // nothing of it is being served
        WsClient.Handshake h = WsClient.tryConnect(Deployments.ws(TestApps.BAD, "/noauth"), Map.of());
        if (h.accepted()) {
            h.client().close();
        }
        assertNotEquals(101, h.status(), "the failed application must not serve its endpoints");
    }

    private static String newLog(long from) {
        try {
            byte[] all = Files.readAllBytes(Deployments.messagesLog().toPath());
            int start = (int) Math.min(from, all.length);
            return new String(all, start, all.length - start, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
