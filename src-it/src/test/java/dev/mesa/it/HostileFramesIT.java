package dev.mesa.it;

import dev.mesa.it.client.CloseInfo;
import dev.mesa.it.client.WsClient;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import static dev.mesa.it.Deployments.ws;
import static dev.mesa.it.TestApps.CORE;
import static dev.mesa.it.TestApps.MAX_MESSAGE_SIZE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile input closes only the offending connection, with the right code; a witness
 * client connected for the whole class keeps working after each one.
 * max-message-size is 1024 bytes on the core WAR.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class HostileFramesIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return TestApps.core();
    }

    private static WsClient witness;
    private final Clients clients = new Clients();

    @BeforeAll
    static void connectWitness() {
        // @BeforeAll runs after the deployment in the Arquillian JUnit 5 extension
        witness = WsClient.connect(ws(CORE, "/open"));
        witness.hello();
        witness.authenticate("u:witness", true);
        assertEquals(22, witness.next().getInt("op"));
    }

    @AfterAll
    static void closeWitness() {
        if (witness != null) {
            witness.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    private int counter;

    private void assertClosedWith(int code, Consumer<WsClient> hostile) {
        WsClient c = clients.connected(ws(CORE, "/open"));
        c.sendQuietly(() -> hostile.accept(c));
        CloseInfo close = c.awaitClose();
        assertEquals(code, close.code(), "close: " + close + "; frames " + c.frames());
        assertEquals(List.of(), c.unread(), "no frame before the close");
        witness.echoRoundTrip("witness-" + (++counter));
    }

    @Test
    void binaryFrameCloses1003() {
        assertClosedWith(1003, c -> c.sendBinary("{\"op\":0}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void notJsonCloses1007() {
        assertClosedWith(1007, c -> c.sendText("not json"));
    }

    @Test
    void truncatedJsonCloses1007() {
        assertClosedWith(1007, c -> c.sendText("{\"op\":0,\"t\":\"ECHO\",\"d\":{"));
    }

    @Test
    void jsonArrayCloses1007() {
        assertClosedWith(1007, c -> c.sendText("[1,2]"));
    }

    @Test
    void jsonScalarCloses1007() {
        assertClosedWith(1007, c -> c.sendText("42"));
    }

    @Test
    void missingOpCloses1002() {
        assertClosedWith(1002, c -> c.sendText("{\"d\":{}}"));
    }

    @Test
    void unknownOpCloses1002() {
        assertClosedWith(1002, c -> c.sendText("{\"op\":99}"));
    }

    @Test
    void serverOnlyOpFromClientCloses1002() {
        assertClosedWith(1002, c -> c.sendText("{\"op\":10,\"d\":{}}"));
    }

    @Test
    void nonNumericOpCloses1002() {
        assertClosedWith(1002, c -> c.sendText("{\"op\":\"0\",\"t\":\"ECHO\",\"d\":{}}"));
    }

    static String echoOfSize(int bytes, char filler) {
        String head = "{\"op\":0,\"t\":\"ECHO\",\"d\":{\"x\":\"";
        String tail = "\"}}";
        int fillerBytes = String.valueOf(filler).getBytes(StandardCharsets.UTF_8).length;
        int n = (bytes - head.length() - tail.length()) / fillerBytes;
        String s = head + String.valueOf(filler).repeat(n) + tail;
        return s;
    }

    static List<String> split(String s, int parts) {
        List<String> out = new ArrayList<>();
        int size = (s.length() + parts - 1) / parts;
        for (int i = 0; i < s.length(); i += size) {
            out.add(s.substring(i, Math.min(s.length(), i + size)));
        }
        return out;
    }

    @Test
    void oversizedSingleFrameCloses1009() {
        String big = echoOfSize(2 * MAX_MESSAGE_SIZE, 'a');
        assertClosedWith(1009, c -> c.sendText(big));
    }

    @Test
    void oversizedMessageOfSmallFragmentsCloses1009() {
        String big = echoOfSize(2 * MAX_MESSAGE_SIZE, 'a');
        List<String> fragments = split(big, 16); // 128 bytes each, far under the limit
        fragments.forEach(f -> assertTrue(f.length() < MAX_MESSAGE_SIZE / 4));
        assertClosedWith(1009, c -> c.sendFragments(fragments));
    }

    @Test
    void limitCountsUtf8BytesNotCharacters() {
        String big = echoOfSize(MAX_MESSAGE_SIZE + 200, 'é'); // ≈ 600 characters, ≈ 1200 bytes
        assertTrue(big.length() < MAX_MESSAGE_SIZE);
        assertTrue(big.getBytes(StandardCharsets.UTF_8).length > MAX_MESSAGE_SIZE);
        assertClosedWith(1009, c -> c.sendText(big));
    }

    @Test
    void fragmentedMessageUnderTheLimitIsReassembled() {
        String ok = echoOfSize(MAX_MESSAGE_SIZE - 24, 'b');
        WsClient c = clients.connected(ws(CORE, "/open"));
        c.sendFragments(split(ok, 8));
        String expectedX = ok.substring(ok.indexOf("\"x\":\"") + 5, ok.lastIndexOf("\"}}"));
        assertEquals(SendIT.frame("ECHO", "{'x':'" + expectedX + "'}"), c.next());
        c.echoRoundTrip("after-fragments");
    }

    @Test
    void messageOfExactlyTheLimitIsAccepted() {
        String ok = echoOfSize(MAX_MESSAGE_SIZE, 'c');
        assertEquals(MAX_MESSAGE_SIZE, ok.getBytes(StandardCharsets.UTF_8).length);
        WsClient c = clients.connected(ws(CORE, "/open"));
        c.sendText(ok);
        assertEquals("ECHO", c.nextFrame(java.time.Duration.ofSeconds(5)).type());
        c.echoRoundTrip("at-limit");
    }

    @Test
    void badPayloadForATypedHandlerDoesNotCloseTheConnection() {
        // CLOSE binds its payload to a JsonObject: a string cannot be bound; the message is dropped
        WsClient c = clients.connected(ws(CORE, "/open"));
        c.dispatch("CLOSE", jakarta.json.Json.createValue("not an object"));
        c.echoRoundTrip("after-unbindable");
    }
}
