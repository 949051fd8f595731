package dev.mesa.it;

import dev.mesa.it.client.WsClient;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.stream.Collectors;

import static dev.mesa.it.Deployments.ws;
import static dev.mesa.it.TestApps.CORE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The hello (op 10) is the first frame and announces exactly what the endpoint's configuration says. */
class HelloIT extends CoreApp {

    /** Compares hello frames exactly, except that the order inside "rules" does not matter. */
    static void assertHello(String expected, JsonObject actual) {
        JsonObject exp = J.obj(expected);
        assertEquals(Set.of("op", "d"), actual.keySet(), "hello has op and d only: " + actual);
        assertEquals(10, actual.getInt("op"));
        JsonObject d = actual.getJsonObject("d");
        assertEquals(exp.getJsonObject("d").keySet(), d.keySet(), "hello keys: " + actual);
        for (String key : exp.getJsonObject("d").keySet()) {
            if (key.equals("rules")) {
                assertEquals(rules(exp.getJsonObject("d")), rules(d), "rules: " + actual);
                assertEquals(d.getJsonArray("rules").size(), rules(d).size(), "rules without duplicates: " + actual);
            } else {
                assertEquals(exp.getJsonObject("d").get(key), d.get(key), key + ": " + actual);
            }
        }
    }

    static Set<String> rules(JsonObject d) {
        return d.getJsonArray("rules").getValuesAs(JsonString.class).stream().map(JsonString::getString)
                .collect(Collectors.toSet());
    }

    @Test
    void helloWithoutHeartbeatOrReconnect() {
        WsClient c = clients.connect(ws(CORE, "/open"));
        assertHello("{'op':10,'d':{'c_authentication_timeout':1000,'rules':['sends_user_object']}}", c.next());
    }

    @Test
    void helloWithHeartbeatReconnectAndStoreMessages() {
        WsClient c = clients.connect(ws(CORE, "/hb"));
        assertHello("{'op':10,'d':{'c_heartbeat_interval':400,'c_reconnect_interval':1000,"
                + "'rules':['store_messages','sends_user_object']}}", c.next());
    }

    @Test
    void rulesArrayIsPresentWhenEmpty() {
        WsClient c = clients.connect(ws(CORE, "/nouser"));
        assertHello("{'op':10,'d':{'rules':[]}}", c.next());
    }

    @Test
    void helloAnnouncesVersionRuleUnderAnExplicitEndpointName() {
        WsClient c = clients.connect(ws(CORE, "/v/strict"));
        assertHello("{'op':10,'d':{'c_authentication_timeout':10000,"
                + "'rules':['enforce_equal_versions','sends_user_object']}}", c.next());
    }

    @Test
    void helloOfAnAuthenticationRequiredEndpoint() {
        WsClient c = clients.connect(ws(CORE, "/secure"));
        assertHello("{'op':10,'d':{'c_authentication_timeout':1000,'rules':['sends_user_object']}}", c.next());
    }

    @Test
    void helloIsSentOnceAndNothingElseUnprompted() {
        WsClient c = clients.connect(ws(CORE, "/open"));
        c.hello();
        c.echoRoundTrip("after-hello");
    }
}
