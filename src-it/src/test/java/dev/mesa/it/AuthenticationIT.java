package dev.mesa.it;

import dev.mesa.it.client.Await;
import dev.mesa.it.client.CloseInfo;
import dev.mesa.it.client.WsClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.mesa.it.Deployments.ws;
import static dev.mesa.it.TestApps.CORE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authentication: /open (optional, timeout 1 s announced only), /secure (required, timeout 1 s),
 * /nouser (send-user-object=false).
 */
class AuthenticationIT extends CoreApp {

    @Test
    void authenticationIsAcknowledgedWithTheUserObject() {
        WsClient c = clients.connected(ws(CORE, "/open"));
        c.authenticate("u:alice", true);
        assertEquals(J.obj("{'op':22,'d':{'id':'alice','name':'User alice'}}"), c.next());
        c.echoRoundTrip("after-auth");
    }

    @Test
    void credentialsWithoutShouldSyncAreAccepted() {
        WsClient c = clients.connected(ws(CORE, "/open"));
        c.authenticate("u:plain");
        assertEquals(J.obj("{'op':22,'d':{'id':'plain','name':'User plain'}}"), c.next());
    }

    @Test
    void ackCarriesAnEmptyObjectWhenSendUserObjectIsOff() {
        WsClient c = clients.connected(ws(CORE, "/nouser"));
        c.authenticate("u:bob", true);
        assertEquals(J.obj("{'op':22,'d':{}}"), c.next());
        c.echoRoundTrip("nouser");
    }

    @Test
    void secondAuthenticationSendsNoSecondAck() {
        WsClient c = clients.connected(ws(CORE, "/open"));
        c.authenticate("u:alice", true);
        assertEquals(22, c.next().getInt("op"));
        c.authenticate("u:alice", true);
        c.authenticate("u:alice-renamed", true);
        c.echoRoundTrip("no-second-22"); // the echo must be the very next frame
        assertFalse(c.isClosed());
    }

    @Test
    void rejectedCredentialsClose1008() {
        WsClient c = clients.connected(ws(CORE, "/open"));
        c.authenticate("not-a-user", true);
        CloseInfo close = c.awaitClose();
        assertEquals(1008, close.code(), "close: " + close);
        assertEquals(List.of(), c.unread(), "no op 22 on failure");
    }

    @Test
    void rejectedCredentialsClose1008OnRequiredEndpointToo() {
        WsClient c = clients.connected(ws(CORE, "/secure"));
        c.authenticate("nope", false);
        assertEquals(1008, c.awaitClose().code());
        assertEquals(List.of(), c.unread());
    }

    @Test
    void authenticationTimeoutClosesWith1008WhenRequired() {
        WsClient c = clients.connected(ws(CORE, "/secure"));
        CloseInfo close = c.awaitClose(Duration.ofSeconds(5));
        assertEquals(1008, close.code(), "close: " + close);
        long ms = c.millisSinceOpen(close.atNanos());
        assertTrue(ms >= 800, "closed after " + ms + " ms; the timeout is 1 s");
        assertEquals(List.of(), c.unread());
    }

    @Test
    void authenticationInTimeCancelsTheTimeout() {
        WsClient c = clients.connected(ws(CORE, "/secure"));
        c.authenticate("u:carol", true);
        assertEquals(22, c.next().getInt("op"));
        long start = System.nanoTime();
        // stay past the 1 s timeout; a wait on a condition that should never come true
        Await.until("1.5 s passed or closed", Duration.ofSeconds(3),
                () -> c.isClosed() || System.nanoTime() - start > Duration.ofMillis(1500).toNanos());
        assertFalse(c.isClosed(), () -> "authenticated client closed: " + c.awaitClose());
        c.echoRoundTrip("still-open");
    }

    @Test
    void authenticationTimeoutIsNotEnforcedWhenNotRequired() {
        WsClient c = clients.connected(ws(CORE, "/open")); // announces c_authentication_timeout 1000
        long start = System.nanoTime();
        Await.until("1.5 s passed or closed", Duration.ofSeconds(3),
                () -> c.isClosed() || System.nanoTime() - start > Duration.ofMillis(1500).toNanos());
        assertFalse(c.isClosed(), () -> "closed although authentication is optional: " + c.awaitClose());
        c.echoRoundTrip("unauthenticated-but-open");
    }

    @Test
    void dispatchBeforeAuthenticationCloses1008WhenRequired() {
        WsClient c = clients.connected(ws(CORE, "/secure"));
        c.sendQuietly(() -> c.dispatch("ECHO", J.value("{'early':true}")));
        CloseInfo close = c.awaitClose();
        assertEquals(1008, close.code(), "close: " + close);
        assertEquals(List.of(), c.unread(), "the early message must not be handled");
    }

    @Test
    void heartbeatAckIsAllowedBeforeAuthentication() {
        WsClient c = clients.connected(ws(CORE, "/secure"));
        c.sendText("{\"op\":11,\"d\":{}}");
        c.authenticate("u:dave", true);
        assertEquals(J.obj("{'op':22,'d':{'id':'dave','name':'User dave'}}"), c.next());
        c.echoRoundTrip("after-op-11");
    }

    @Test
    void clientVersionIsAllowedBeforeAuthentication() {
        WsClient c = clients.connected(ws(CORE, "/secure"));
        c.clientVersion("1.5.8");
        c.authenticate("u:dave", true);
        assertEquals(J.obj("{'op':22,'d':{'id':'dave','name':'User dave'}}"), c.next());
        c.echoRoundTrip("after-client-version");
    }

    @Test
    void framesSentWhileAuthenticatingAreHandledAfterIt() {
        WsClient c = clients.connected(ws(CORE, "/secure"));
        c.authenticate("slow:u:erin", true); // the authenticator takes 300 ms
        c.dispatch("ECHO", J.value("{'queued':true}"));
        assertEquals(J.obj("{'op':22,'d':{'id':'erin','name':'User erin'}}"), c.next());
        assertEquals(J.obj("{'op':0,'d':{'queued':true},'t':'ECHO'}"), c.next());
        assertFalse(c.isClosed());
    }
}
