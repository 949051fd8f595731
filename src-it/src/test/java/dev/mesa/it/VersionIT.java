package dev.mesa.it;

import dev.mesa.it.client.CloseInfo;
import dev.mesa.it.client.WsClient;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.mesa.it.Deployments.ws;
import static dev.mesa.it.TestApps.CORE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** /v/strict (endpoint name "versioned"): enforce_equal_versions with the default version 1.5.8. */
class VersionIT extends CoreApp {

    @Test
    void mismatchingVersionCloses1002() {
        WsClient c = clients.connected(ws(CORE, "/v/strict"));
        c.clientVersion("1.5.3"); // what mesa-js-client@1.4.8 sends
        CloseInfo close = c.awaitClose();
        assertEquals(1002, close.code(), "close: " + close);
        assertEquals(List.of(), c.unread());
    }

    @Test
    void matchingVersionKeepsTheConnectionOpen() {
        WsClient c = clients.connected(ws(CORE, "/v/strict"));
        c.clientVersion("1.5.8");
        c.echoRoundTrip("version-ok");
        assertFalse(c.isClosed());
    }

    @Test
    void configuredVersionBeforeAuthenticationOnARequiredEndpoint() {
        // /strict: authentication required, enforce_equal_versions, mesa.endpoint.strict.client.version=1.5.3
        WsClient c = clients.connected(ws(CORE, "/strict"));
        c.clientVersion("1.5.3");
        c.authenticate("u:jsclient", true);
        assertEquals(J.obj("{'op':22,'d':{'id':'jsclient','name':'User jsclient'}}"), c.next());
        c.echoRoundTrip("strict-ok");
    }

    @Test
    void wrongVersionBeforeAuthenticationCloses1002NotPolicyViolation() {
        WsClient c = clients.connected(ws(CORE, "/strict"));
        c.clientVersion("1.5.8"); // the default, but this endpoint is configured for 1.5.3
        CloseInfo close = c.awaitClose();
        assertEquals(1002, close.code(), "close: " + close);
    }

    @Test
    void versionIsNotCheckedWhereNotEnforced() {
        WsClient c = clients.connected(ws(CORE, "/open"));
        c.clientVersion("0.0.1");
        c.echoRoundTrip("version-not-enforced");
        assertFalse(c.isClosed());
    }
}
