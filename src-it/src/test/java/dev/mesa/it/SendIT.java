package dev.mesa.it;

import dev.mesa.it.client.Await;
import dev.mesa.it.client.CloseInfo;
import dev.mesa.it.client.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static dev.mesa.it.Deployments.ws;
import static dev.mesa.it.TestApps.CORE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Server-side sends through the injected {@code Mesa} (driven by a client's SEND message) and the
 * injected {@code Dispatcher} (driven by a REST call): exactly the addressed connections get the
 * frame; every other one provably gets nothing (marker round trip).
 */
class SendIT extends CoreApp {
    private WsClient alice;
    private WsClient alice2;
    private WsClient bob;
    private WsClient carol;
    private WsClient anon;
    private WsClient driver;

    @BeforeEach
    void connect() {
        alice = clients.authenticated(ws(CORE, "/open"), "alice");
        alice2 = clients.authenticated(ws(CORE, "/open"), "alice"); // a second connection of alice
        bob = clients.authenticated(ws(CORE, "/open"), "bob");
        carol = clients.authenticated(ws(CORE, "/open"), "carol");
        anon = clients.connected(ws(CORE, "/open"));
        driver = clients.authenticated(ws(CORE, "/open"), "driver");
    }

    static JsonObject send(List<String> ids, List<String> excluding, String type, String payload, boolean global) {
        JsonObjectBuilder b = Json.createObjectBuilder().add("type", type).add("payload", J.value(payload));
        if (ids != null) {
            JsonArrayBuilder a = Json.createArrayBuilder();
            ids.forEach(a::add);
            b.add("ids", a);
        }
        if (excluding != null) {
            JsonArrayBuilder a = Json.createArrayBuilder();
            excluding.forEach(a::add);
            b.add("excluding", a);
        }
        if (global) {
            b.add("global", true);
        }
        return b.build();
    }

    static JsonObject frame(String type, String payload) {
        return Json.createObjectBuilder().add("op", 0).add("d", J.value(payload)).add("t", type).build();
    }

    private void expectSentAck(WsClient c, String type) {
        assertEquals(frame("SENT", "{'type':'" + type + "'}"), c.next());
    }

    private static void expectNothing(String marker, WsClient... cs) {
        for (WsClient c : cs) {
            c.echoRoundTrip(marker);
        }
    }

    @Test
    void sendToIdsReachesEveryConnectionOfThoseUsersOnly() {
        driver.dispatch("SEND", send(List.of("alice", "carol"), null, "X", "{'n':1}", false));
        expectSentAck(driver, "X");
        JsonObject expected = frame("X", "{'n':1}");
        assertEquals(expected, alice.next());
        assertEquals(expected, alice2.next());
        assertEquals(expected, carol.next());
        expectNothing("m1", alice, alice2, carol, bob, anon, driver);
    }

    @Test
    void sendToIdsWithExclusions() {
        driver.dispatch("SEND", send(List.of("alice", "bob", "carol"), List.of("bob"), "X", "{'n':2}", false));
        expectSentAck(driver, "X");
        assertEquals(frame("X", "{'n':2}"), alice.next());
        assertEquals(frame("X", "{'n':2}"), alice2.next());
        assertEquals(frame("X", "{'n':2}"), carol.next());
        expectNothing("m2", alice, alice2, carol, bob, anon, driver);
    }

    @Test
    void sendToEveryoneAuthenticatedMinusExclusions() {
        driver.dispatch("SEND", send(List.of("*"), List.of("bob", "carol"), "Y", "{'all':true}", false));
        JsonObject expected = frame("Y", "{'all':true}");
        assertEquals(expected, driver.next(), "the sender is authenticated and not excluded");
        expectSentAck(driver, "Y");
        assertEquals(expected, alice.next());
        assertEquals(expected, alice2.next());
        expectNothing("m3", alice, alice2, bob, carol, anon, driver);
    }

    @Test
    void sendToUnknownUserReachesNobody() {
        driver.dispatch("SEND", send(List.of("nobody"), null, "X", "{}", false));
        expectSentAck(driver, "X");
        expectNothing("m4", alice, alice2, bob, carol, anon, driver);
    }

    @Test
    void globalSendReachesEveryConnectionButUnauthenticatedOnesWhereAuthenticationIsRequired() {
        WsClient secureAnon = clients.connected(ws(CORE, "/secure"));
        WsClient secureUser = clients.authenticated(ws(CORE, "/secure"), "sam");
        WsClient nouser = clients.connected(ws(CORE, "/nouser"));

        driver.dispatch("SEND", send(null, null, "G", "{'g':1}", true));
        JsonObject expected = frame("G", "{'g':1}");
        assertEquals(expected, driver.next());
        expectSentAck(driver, "G");
        for (WsClient c : List.of(alice, alice2, bob, carol, anon, secureUser, nouser)) {
            assertEquals(expected, c.next());
        }
        expectNothing("m5", alice, alice2, bob, carol, anon, secureUser, nouser, driver);
        // the unauthenticated client of /secure got nothing: its op 22 is the very next frame
        secureAnon.authenticate("u:late", true);
        assertEquals(J.obj("{'op':22,'d':{'id':'late','name':'User late'}}"), secureAnon.next());
        expectNothing("m5b", secureAnon);
    }

    @Test
    void injectedDispatcherInARestResourceReachesTheAddressedUsers() throws Exception {
        HttpResponse<String> r = post("{'ids':['alice','bob'],'excluding':['bob'],'type':'REST','payload':{'via':'rest'}}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(frame("REST", "{'via':'rest'}"), alice.next());
        assertEquals(frame("REST", "{'via':'rest'}"), alice2.next());
        expectNothing("m6", alice, alice2, bob, carol, anon, driver);

        // dispatch(msg) = every authenticated connection
        r = post("{'type':'ALL','payload':{'k':1}}");
        assertEquals(200, r.statusCode(), r.body());
        for (WsClient c : List.of(alice, alice2, bob, carol, driver)) {
            assertEquals(frame("ALL", "{'k':1}"), c.next());
        }
        expectNothing("m7", alice, alice2, bob, carol, anon, driver);
    }

    @Test
    void injectedMesaCountsConnections() {
        // connections of earlier tests may still be closing on the server: wait for the count to settle
        String[] last = new String[1];
        Await.until("connectionCount() == 6 (last answer: " + last[0] + ")", Duration.ofSeconds(5), () -> {
            last[0] = count();
            return "200:6".equals(last[0]);
        });
    }

    private static String count() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(Deployments.http(CORE, "/api/mesa/count")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() + ":" + r.body().trim();
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void serverInitiatedCloseWithCodeAndReason() {
        bob.dispatch("CLOSE", J.value("{'code':4321,'reason':'bye'}"));
        CloseInfo close = bob.awaitClose();
        assertEquals(4321, close.code(), "close: " + close);
        assertEquals("bye", close.reason());
        carol.dispatch("CLOSE", J.value("{}"));
        assertEquals(1000, carol.awaitClose().code());
        // a message to a closed user reaches nobody and breaks nothing
        driver.dispatch("SEND", send(List.of("bob", "alice"), null, "X", "{'after':'close'}", false));
        expectSentAck(driver, "X");
        assertEquals(frame("X", "{'after':'close'}"), alice.next());
        expectNothing("m8", alice, anon, driver);
    }

    private static HttpResponse<String> post(String json) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(Deployments.http(CORE, "/api/mesa/dispatch"))
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(J.value(json).toString()))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
