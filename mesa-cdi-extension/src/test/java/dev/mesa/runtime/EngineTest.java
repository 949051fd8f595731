package dev.mesa.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.mesa.AuthenticationException;
import dev.mesa.Connection;
import dev.mesa.Identity;
import dev.mesa.Mesa;
import dev.mesa.Message;
import dev.mesa.MesaEndpoint;
import dev.mesa.OnAuthenticate;
import dev.mesa.OnError;
import dev.mesa.OnMessage;
import dev.mesa.event.Authenticated;
import dev.mesa.event.ConnectionClosed;
import dev.mesa.event.MessagesRedelivered;
import dev.mesa.event.UndeliverableMessage;
import dev.mesa.spi.MessageInterceptor;

/** The Mesa 1.x protocol, driven frame by frame in a plain JVM. */
class EngineTest {

    private static final Duration WAIT = Duration.ofSeconds(3);

    public record Credentials(String token) {
    }

    public record Send(List<String> ids, List<String> excluding, String type, JsonValue payload) {
    }

    @MesaEndpoint("/open")
    public static class Open {
        @Inject
        Mesa mesa;
        final List<Throwable> errors = new CopyOnWriteArrayList<>();

        @OnAuthenticate
        CompletionStage<Identity> authenticate(Credentials c) {
            String token = c.token() == null ? "" : c.token();
            if (token.startsWith("slow:")) {
                return CompletableFuture.supplyAsync(() -> Identity.of(token.substring(5)),
                        CompletableFuture.delayedExecutor(100, TimeUnit.MILLISECONDS));
            }
            if (!token.startsWith("u:")) {
                throw new AuthenticationException("unknown token");
            }
            String id = token.substring(2);
            return CompletableFuture.completedFuture(new Identity(id, Map.of("id", id, "name", "User " + id)));
        }

        @OnMessage("ECHO")
        Message echo(JsonValue d) {
            return Message.of("ECHO", d);
        }

        @OnMessage("WHO")
        Message who(Connection c) {
            return Message.of("WHO", Map.of("user", c.userId().orElse("-")));
        }

        @OnMessage("UPPER")
        Message upper(String text) {
            return Message.of("UPPER", text);
        }

        @OnMessage("BOOM")
        void boom() {
            throw new IllegalStateException("boom");
        }

        @OnMessage("SEND")
        void send(Send s) {
            Message m = "TRANSIENT".equals(s.type()) ? Message.transientOf(s.type(), s.payload()) : Message.of(s.type(), s.payload());
            if (s.ids() == null) {
                mesa.send(m);
            } else {
                mesa.send(m, s.ids(), s.excluding() == null ? List.of() : s.excluding());
            }
        }

        @OnError
        void error(Throwable t) {
            errors.add(t);
        }

        List<Throwable> errors() {
            return errors;
        }
    }

    /** Inherits package-private handlers from another package: no client proxy can override those. */
    @MesaEndpoint("/inherited")
    public static class Inherited extends dev.mesa.runtime.elsewhere.BaseHandlers {
    }

    /** Fast heartbeats, kept away from the other tests so a slow machine cannot close their clients. */
    @MesaEndpoint("/beat")
    public static class Beat {
    }

    @MesaEndpoint("/secure")
    public static class Secure {
        @OnAuthenticate
        Identity authenticate(Map<String, Object> credentials) {
            return Identity.of(String.valueOf(credentials.get("token")));
        }
    }

    /** Vetoes BLOCKED, upper-cases UPPER. */
    @ApplicationScoped
    @Priority(10)
    public static class Shouting implements MessageInterceptor {
        @Override
        public Message intercept(Connection connection, Message message) {
            if ("BLOCKED".equals(message.type())) {
                return null;
            }
            if ("UPPER".equals(message.type()) && message.data() instanceof JsonString s) {
                return message.withData(Json.createValue(s.getString().toUpperCase()));
            }
            return message;
        }
    }

    @ApplicationScoped
    public static class Recorder {
        final List<Object> events = new CopyOnWriteArrayList<>();

        void authenticated(@Observes Authenticated e) {
            events.add(e);
        }

        void closed(@Observes ConnectionClosed e) {
            events.add(e);
        }

        void stored(@Observes UndeliverableMessage e) {
            events.add(e);
        }

        void redelivered(@Observes MessagesRedelivered e) {
            events.add(e);
        }

        List<Object> events() {
            return events;
        }
    }

    private Deployment deployment;
    private EndpointRuntime open;
    private EndpointRuntime secure;
    private EndpointRuntime beat;

    @BeforeEach
    void deploy() {
        deployment = Deployment.of(Map.ofEntries(
                Map.entry("mesa.endpoint.open.heartbeat.enabled", "true"),
                Map.entry("mesa.endpoint.open.heartbeat.interval", "5s"),
                Map.entry("mesa.endpoint.beat.heartbeat.enabled", "true"),
                Map.entry("mesa.endpoint.beat.heartbeat.interval", "50ms"),
                Map.entry("mesa.endpoint.beat.heartbeat.max-attempts", "2"),
                Map.entry("mesa.endpoint.open.reconnect.enabled", "true"),
                Map.entry("mesa.endpoint.open.reconnect.interval", "PT0.3S"),
                Map.entry("mesa.sync.enabled", "true"),
                Map.entry("mesa.endpoint.secure.authentication.required", "true"),
                Map.entry("mesa.endpoint.secure.authentication.timeout", "200ms"),
                Map.entry("mesa.endpoint.secure.authentication.send-user-object", "false"),
                Map.entry("mesa.endpoint.secure.client.enforce-equal-versions", "true"),
                Map.entry("mesa.endpoint.secure.client.version", "9.9.9")),
                Open.class, Beat.class, Secure.class, Shouting.class, Recorder.class, Inherited.class);
        open = deployment.endpoint("/open");
        beat = deployment.endpoint("/beat");
        secure = deployment.endpoint("/secure");
    }

    @AfterEach
    void undeploy() {
        deployment.close();
    }

    private RecordingTransport login(String user) throws InterruptedException {
        RecordingTransport t = RecordingTransport.open(open);
        t.text("op", 2, "d", Json.createObjectBuilder().add("token", "u:" + user).build());
        t.await(f -> f.getInt("op") == 22, WAIT);
        return t;
    }

    private static long count(RecordingTransport t, int op) {
        return t.json().stream().filter(f -> f.getInt("op") == op).count();
    }

    private static List<JsonObject> ofType(RecordingTransport t, String type) {
        return t.json().stream().filter(f -> type.equals(f.getString("t", null))).toList();
    }

    @Test
    void helloAnnouncesSettingsAndAlwaysCarriesRules() {
        JsonObject hello = RecordingTransport.open(open).json().get(0);
        assertEquals(10, hello.getInt("op"));
        JsonObject d = hello.getJsonObject("d");
        assertEquals(5000, d.getInt("c_heartbeat_interval"));
        assertEquals(300, d.getInt("c_reconnect_interval"));
        assertEquals(10000, d.getInt("c_authentication_timeout"));
        assertEquals(List.of("sends_user_object", "resume"), d.getJsonArray("rules").getValuesAs(JsonString::getString));

        JsonObject d2 = RecordingTransport.open(secure).json().get(0).getJsonObject("d");
        assertFalse(d2.containsKey("c_heartbeat_interval"));
        assertFalse(d2.containsKey("c_reconnect_interval"));
        assertEquals(200, d2.getInt("c_authentication_timeout"));
        assertEquals(List.of("enforce_equal_versions", "resume"), d2.getJsonArray("rules").getValuesAs(JsonString::getString));
    }

    @Test
    void authenticationIsAcknowledgedOnceWithTheUserObject() throws Exception {
        RecordingTransport t = login("alice");
        JsonObject ack = t.await(f -> f.getInt("op") == 22, WAIT);
        assertEquals(Json.createObjectBuilder().add("id", "alice").add("name", "User alice").build(), ack.getJsonObject("d"));
        t.text("op", 2, "d", Json.createObjectBuilder().add("token", "u:alice2").build());
        t.text("{\"op\":0,\"t\":\"WHO\",\"d\":{}}");
        JsonObject who = t.await(f -> "WHO".equals(f.getString("t", null)), WAIT);
        assertEquals("alice2", who.getJsonObject("d").getString("user"), "re-authentication updates the user");
        assertEquals(1, count(t, 22), "a second authentication sends no second op 22");
    }

    @Test
    void rejectedAuthenticationClosesWith1008() throws Exception {
        RecordingTransport t = RecordingTransport.open(open);
        t.text("{\"op\":2,\"d\":{\"token\":\"forged\",\"shouldSync\":true}}");
        assertEquals(1008, t.awaitClose(WAIT));
        assertEquals(0, count(t, 22));
    }

    @Test
    void framesSentWhileAuthenticatingAreHandledAfterwardsInOrder() throws Exception {
        RecordingTransport t = RecordingTransport.open(open);
        t.text("{\"op\":2,\"d\":{\"token\":\"slow:bob\"}}");
        t.text("{\"op\":0,\"t\":\"WHO\",\"d\":{}}");
        t.text("{\"op\":0,\"t\":\"ECHO\",\"d\":1}");
        JsonObject echo = t.await(f -> "ECHO".equals(f.getString("t", null)), WAIT);
        List<String> order = t.json().stream().map(f -> f.getInt("op") + ":" + f.getString("t", "")).filter(s -> !s.startsWith("1:")).toList();
        assertEquals(List.of("10:", "22:", "0:WHO", "0:ECHO"), order);
        assertEquals("bob", ofType(t, "WHO").get(0).getJsonObject("d").getString("user"));
        assertEquals(1, echo.getInt("d"));
    }

    @Test
    void aSilentClientIsWarnedThenClosedWith4000() throws Exception {
        RecordingTransport t = RecordingTransport.open(beat);
        assertEquals(4000, t.awaitClose(WAIT));
        List<String> beats = t.json().stream().filter(f -> f.getInt("op") == 1).map(f -> f.get("d").toString()).toList();
        assertEquals(List.of("{}", "{\"tries\":1,\"max\":2}", "{\"tries\":2,\"max\":2}"), beats);
    }

    @Test
    void answeredHeartbeatsKeepTheConnectionOpen() throws Exception {
        RecordingTransport t = RecordingTransport.open(beat);
        long answered = 0;
        long end = System.nanoTime() + Duration.ofMillis(600).toNanos();
        while (System.nanoTime() < end) {
            long beats = count(t, 1);
            for (; answered < beats; answered++) {
                t.text("{\"op\":11,\"d\":{}}");
            }
            Thread.sleep(5);
        }
        assertEquals(0, t.closeCode(), "closed although every heartbeat was answered: " + t.frames());
        // Without acks resetting the count, the third beat would have closed it (max-attempts 2).
        assertTrue(answered >= 6, "expected a heartbeat every 50 ms, got " + answered);
    }

    @Test
    void requiredAuthenticationAllowsOnlyAuthenticateHeartbeatAndVersionFirst() throws Exception {
        RecordingTransport t = RecordingTransport.open(secure);
        t.text("{\"op\":11,\"d\":{}}");
        t.text("{\"op\":0,\"t\":\"CLIENT_VERSION\",\"d\":{\"v\":\"9.9.9\"}}");
        t.text("{\"op\":2,\"d\":{\"token\":\"carol\"}}");
        JsonObject ack = t.await(f -> f.getInt("op") == 22, WAIT);
        assertEquals(JsonValue.EMPTY_JSON_OBJECT, ack.getJsonObject("d"), "send-user-object=false sends {}");
        Thread.sleep(300);
        assertEquals(0, t.closeCode(), "an authenticated client outlives the authentication timeout");

        // With version enforcement off, CLIENT_VERSION before authentication is still part of the handshake.
        RecordingTransport relaxed = RecordingTransport.open(open);
        relaxed.text("{\"op\":0,\"t\":\"CLIENT_VERSION\",\"d\":{\"v\":\"0.0.1\"}}");
        relaxed.text("{\"op\":0,\"t\":\"ECHO\",\"d\":1}");
        relaxed.await(f -> "ECHO".equals(f.getString("t", null)), WAIT);
        assertEquals(0, relaxed.closeCode());

        RecordingTransport early = RecordingTransport.open(secure);
        early.text("{\"op\":0,\"t\":\"CHAT\",\"d\":{}}");
        assertEquals(1008, early.awaitClose(WAIT));
        assertTrue(early.aborted());
    }

    @Test
    void authenticationTimeoutClosesWith1008() throws Exception {
        RecordingTransport t = RecordingTransport.open(secure);
        long start = System.nanoTime();
        assertEquals(1008, t.awaitClose(WAIT));
        assertEquals("Authentication timeout", t.closeReason());
        assertTrue(System.nanoTime() - start >= Duration.ofMillis(150).toNanos());
    }

    @Test
    void aDifferentClientVersionClosesWith1002() throws Exception {
        RecordingTransport t = RecordingTransport.open(secure);
        t.text("{\"op\":0,\"t\":\"CLIENT_VERSION\",\"d\":{\"v\":\"1.5.3\"}}");
        assertEquals(1002, t.awaitClose(WAIT));
    }

    @Test
    void hostileFramesGetTheirCloseCodes() throws Exception {
        Map<String, Integer> expected = Map.of(
                "not json", 1007, "[1,2]", 1007, "\"text\"", 1007, "{\"d\":{}}", 1002,
                "{\"op\":99,\"d\":{}}", 1002, "{\"op\":1.5}", 1002, "{\"op\":0,\"t\":7}", 1007, "{\"op\":\"0\"}", 1002);
        RecordingTransport bystander = login("bystander");
        for (var e : expected.entrySet()) {
            RecordingTransport t = RecordingTransport.open(open);
            t.text(e.getKey());
            assertEquals(e.getValue(), t.awaitClose(WAIT), e.getKey());
        }
        bystander.text("{\"op\":0,\"t\":\"ECHO\",\"d\":\"still here\"}");
        assertEquals("still here", bystander.await(f -> "ECHO".equals(f.getString("t", null)), WAIT).getString("d"));
    }

    @Test
    void sendsReachExactlyTheirRecipients() throws Exception {
        RecordingTransport alice = login("alice");
        RecordingTransport bob = login("bob");
        RecordingTransport carol = login("carol");
        RecordingTransport anonymous = RecordingTransport.open(open);

        alice.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"alice\",\"bob\"],\"excluding\":[\"bob\"],\"type\":\"A\",\"payload\":1}}");
        alice.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"*\"],\"excluding\":[\"carol\"],\"type\":\"B\",\"payload\":2}}");
        alice.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"type\":\"C\",\"payload\":3}}");

        assertEquals(List.of(1, 0, 0, 0), List.of(ofType(alice, "A").size(), ofType(bob, "A").size(), ofType(carol, "A").size(), ofType(anonymous, "A").size()));
        assertEquals(List.of(1, 1, 0, 0), List.of(ofType(alice, "B").size(), ofType(bob, "B").size(), ofType(carol, "B").size(), ofType(anonymous, "B").size()));
        assertEquals(List.of(1, 1, 1, 1), List.of(ofType(alice, "C").size(), ofType(bob, "C").size(), ofType(carol, "C").size(), ofType(anonymous, "C").size()));
        assertEquals("{\"op\":0,\"d\":3,\"t\":\"C\"}", alice.frames().stream().filter(f -> f.contains("\"C\"")).findFirst().orElseThrow());
    }

    @Test
    void syncedMessagesWaitForTheUserAndArriveNumberedAfterTheAck() throws Exception {
        RecordingTransport alice = login("alice");
        alice.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"dave\"],\"type\":\"N\",\"payload\":1}}");
        alice.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"dave\"],\"type\":\"TRANSIENT\",\"payload\":0}}");
        alice.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"dave\"],\"type\":\"N\",\"payload\":2}}");

        RecordingTransport dave = login("dave");
        dave.await(f -> f.getInt("s", 0) == 2, WAIT);
        List<String> after = dave.frames().subList(1, dave.frames().size()).stream().filter(f -> !f.startsWith("{\"op\":1,")).toList();
        assertEquals(3, after.size(), after.toString());
        assertTrue(after.get(0).startsWith("{\"op\":22"), after.toString());
        assertEquals("{\"op\":0,\"d\":1,\"t\":\"N\",\"s\":1}", after.get(1));
        assertEquals("{\"op\":0,\"d\":2,\"t\":\"N\",\"s\":2}", after.get(2));

        Recorder r = deployment.bean(Recorder.class);
        assertEquals(2, r.events().stream().filter(e -> e instanceof UndeliverableMessage).count());
        assertEquals(1, r.events().stream().filter(e -> e instanceof MessagesRedelivered m && m.messages().size() == 2).count());
    }

    @Test
    void shouldSyncFalseDiscardsWhatWasStored() throws Exception {
        RecordingTransport alice = login("alice");
        alice.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"erin\"],\"type\":\"N\",\"payload\":1}}");
        RecordingTransport erin = RecordingTransport.open(open);
        erin.text("{\"op\":2,\"d\":{\"token\":\"u:erin\",\"shouldSync\":false}}");
        erin.await(f -> f.getInt("op") == 22, WAIT);
        erin.close(1000, "");
        RecordingTransport again = login("erin");
        again.text("{\"op\":0,\"t\":\"ECHO\",\"d\":0}");
        again.await(f -> "ECHO".equals(f.getString("t", null)), WAIT);
        assertTrue(erin.frames().stream().noneMatch(f -> f.contains("\"t\":\"N\"")), erin.frames().toString());
        assertTrue(again.frames().stream().noneMatch(f -> f.contains("\"t\":\"N\"")), again.frames().toString());
    }

    @Test
    void interceptorsTransformAndVeto() throws Exception {
        RecordingTransport t = login("ian");
        t.text("{\"op\":0,\"t\":\"BLOCKED\",\"d\":{}}");
        t.text("{\"op\":0,\"t\":\"UPPER\",\"d\":\"quiet\"}");
        assertEquals("QUIET", t.await(f -> "UPPER".equals(f.getString("t", null)), WAIT).getString("d"));
        assertTrue(ofType(t, "BLOCKED").isEmpty());
    }

    @Test
    void aFailingHandlerIsReportedAndTheConnectionLives() throws Exception {
        RecordingTransport t = login("frank");
        t.text("{\"op\":0,\"t\":\"BOOM\",\"d\":{}}");
        t.text("{\"op\":0,\"t\":\"ECHO\",\"d\":\"ok\"}");
        assertEquals("ok", t.await(f -> "ECHO".equals(f.getString("t", null)), WAIT).getString("d"));
        Open endpoint = deployment.bean(Open.class);
        assertTrue(endpoint.errors().stream().anyMatch(e -> "boom".equals(e.getMessage())), endpoint.errors().toString());
        assertEquals(0, t.closeCode());
    }

    @Test
    void inheritedHandlersRunOnTheBeanNotItsProxy() throws Exception {
        RecordingTransport t = RecordingTransport.open(deployment.endpoint("/inherited"));
        t.text("{\"op\":0,\"t\":\"COUNT\",\"d\":{}}");
        assertEquals(1, t.await(f -> "COUNT".equals(f.getString("t", null)), WAIT).getInt("d"));
    }

    @Test
    void closingFiresEventsAndForgetsTheUser() throws Exception {
        RecordingTransport gina = login("gina");
        gina.close(1000, "bye");
        Recorder r = deployment.bean(Recorder.class);
        assertTrue(r.events().stream().anyMatch(e -> e instanceof ConnectionClosed c && c.status().code() == 1000
                && "bye".equals(c.status().reason())));
        assertTrue(r.events().stream().anyMatch(e -> e instanceof Authenticated a && a.connection().userId().orElse("").equals("gina")));
        assertEquals(0, deployment.bean(Mesa.class).connectionCount());
    }
}
