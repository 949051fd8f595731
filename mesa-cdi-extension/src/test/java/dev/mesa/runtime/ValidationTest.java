package dev.mesa.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.spi.DeploymentException;

import org.junit.jupiter.api.Test;

import dev.mesa.CloseStatus;
import dev.mesa.Connection;
import dev.mesa.Identity;
import dev.mesa.Message;
import dev.mesa.MesaEndpoint;
import dev.mesa.OnAuthenticate;
import dev.mesa.OnConnect;
import dev.mesa.OnDisconnect;
import dev.mesa.OnError;
import dev.mesa.OnMessage;

/** Every MESA-0xx deployment problem, each reported with the member it concerns. */
class ValidationTest {

    // ---- endpoints, each with one defect ----

    @MesaEndpoint("chat")
    public static class NoSlash {
    }

    @MesaEndpoint("/rooms/{id}")
    public static class Template {
    }

    @MesaEndpoint("/dup")
    public static class DupA {
    }

    @MesaEndpoint("/dup")
    public static class DupB {
    }

    @MesaEndpoint(value = "/one", name = "same")
    public static class NameA {
    }

    @MesaEndpoint(value = "/two", name = "same")
    public static class NameB {
    }

    @MesaEndpoint("/params")
    public static class BadParams {
        @OnConnect
        void connect(Connection c, String payload) {
        }

        @OnMessage("X")
        void twice(Connection a, Connection b) {
        }

        @OnDisconnect
        void bye(Message m) {
        }
    }

    @MesaEndpoint("/returns")
    public static class BadReturns {
        @OnMessage("X")
        String text(Connection c) {
            return "";
        }

        @OnAuthenticate
        String auth(Map<String, Object> credentials) {
            return "";
        }

        @OnConnect
        int connect() {
            return 0;
        }
    }

    @MesaEndpoint("/types")
    public static class SameType {
        @OnMessage("X")
        void a(Connection c) {
        }

        @OnMessage("X")
        void b(Connection c) {
        }

        @OnMessage
        void any1(Message m) {
        }

        @OnMessage
        void any2(Message m) {
        }
    }

    @MesaEndpoint("/lifecycle")
    public static class TwoConnects {
        @OnConnect
        void first(Connection c) {
        }

        @OnConnect
        void second(Connection c) {
        }

        @OnError
        void e1(Throwable t) {
        }

        @OnError
        void e2(Connection c, Throwable t) {
        }
    }

    @MesaEndpoint("/methods")
    public static class BadMethods {
        @OnMessage("P")
        private void hidden(Connection c) {
        }

        @OnMessage("S")
        static void shared(Connection c) {
        }

        @OnConnect
        @OnDisconnect
        void both(Connection c) {
        }
    }

    @MesaEndpoint("/scoped")
    @RequestScoped
    public static class RequestEndpoint {
    }

    @MesaEndpoint("/plain")
    public static class Plain {
        @OnMessage("ECHO")
        Message echo(Message m) {
            return m;
        }
    }

    @MesaEndpoint("/authed")
    public static class Authed {
        @OnAuthenticate
        CompletionStage<Identity> auth(Connection c, Map<String, Object> credentials) {
            return null;
        }

        @OnDisconnect
        void bye(CloseStatus s, Connection c) {
        }
    }

    // ---- tests ----

    @Test
    void validEndpointsDeploy() {
        try (Deployment d = Deployment.of(Map.of(), Plain.class, Authed.class)) {
            assertEquals(2, d.runtime().endpoints().size());
        }
    }

    @Test
    void mesa001InvalidPaths() {
        String report = failure(Map.of(), NoSlash.class, Template.class);
        assertProblem(report, "MESA-001", NoSlash.class.getName(), "must start with '/'");
        assertProblem(report, "MESA-001", Template.class.getName(), "templates");
    }

    @Test
    void mesa002DuplicatePathOrName() {
        String report = failure(Map.of(), DupA.class, DupB.class, NameA.class, NameB.class);
        assertProblem(report, "MESA-002", "", "path '/dup' is already served by");
        assertProblem(report, "MESA-002", "", "endpoint name 'same' is already used by");
    }

    @Test
    void mesa003ParametersNotAllowed() {
        String report = failure(Map.of(), BadParams.class);
        assertProblem(report, "MESA-003", BadParams.class.getName() + "#connect", "parameter 2 (java.lang.String) is not allowed");
        assertProblem(report, "MESA-003", BadParams.class.getName() + "#twice", "repeats a connection parameter");
        assertProblem(report, "MESA-003", BadParams.class.getName() + "#bye", "parameter 1 (dev.mesa.Message) is not allowed");
    }

    @Test
    void mesa004WrongReturnTypes() {
        String report = failure(Map.of(), BadReturns.class);
        assertProblem(report, "MESA-004", BadReturns.class.getName() + "#text", "returns void, or a Message");
        assertProblem(report, "MESA-004", BadReturns.class.getName() + "#auth", "returns Identity or CompletionStage<Identity>");
        assertProblem(report, "MESA-004", BadReturns.class.getName() + "#connect", "must return void");
    }

    @Test
    void mesa005TwoHandlersForOneType() {
        String report = failure(Map.of(), SameType.class);
        assertProblem(report, "MESA-005", SameType.class.getName() + "#b", "message type 'X'");
        assertProblem(report, "MESA-005", SameType.class.getName() + "#any2", "second catch-all");
    }

    @Test
    void mesa006TwoLifecycleHandlers() {
        String report = failure(Map.of(), TwoConnects.class);
        assertProblem(report, "MESA-006", TwoConnects.class.getName() + "#second", "second @OnConnect");
        assertProblem(report, "MESA-006", TwoConnects.class.getName() + "#e2", "second @OnError");
    }

    @Test
    void mesa007PrivateStaticOrDoublyAnnotated() {
        String report = failure(Map.of(), BadMethods.class);
        assertProblem(report, "MESA-007", BadMethods.class.getName() + "#hidden", "is private");
        assertProblem(report, "MESA-007", BadMethods.class.getName() + "#shared", "is static");
        assertProblem(report, "MESA-007", BadMethods.class.getName() + "#both", "@OnConnect and @OnDisconnect");
    }

    @Test
    void mesa008UnsupportedScope() {
        String report = failure(Map.of(), RequestEndpoint.class);
        assertProblem(report, "MESA-008", RequestEndpoint.class.getName(), "@RequestScoped");
    }

    @Test
    void mesa010InvalidValuesNameTheKey() {
        String report = failure(Map.of(
                "mesa.heartbeat.interval", "ten seconds",
                "mesa.endpoint.plain.heartbeat.max-attempts", "-1",
                "mesa.reconnect.enabled", "yes",
                "mesa.limits.max-message-size", "huge",
                "mesa.endpoint.plain.sync.enabled", "true"), Plain.class);
        assertProblem(report, "MESA-010", "mesa.heartbeat.interval", "'ten seconds' is not valid; expected a duration");
        assertProblem(report, "MESA-010", "mesa.endpoint.plain.heartbeat.max-attempts", "'-1' is not valid");
        assertProblem(report, "MESA-010", "mesa.reconnect.enabled", "expected true or false");
        assertProblem(report, "MESA-010", "mesa.limits.max-message-size", "'huge'");
        assertProblem(report, "MESA-010", "mesa.endpoint.plain.sync.enabled", "application-wide");
    }

    @Test
    void mesa011SyncWithoutAuthentication() {
        String report = failure(Map.of("mesa.sync.enabled", "true",
                "mesa.authentication.store-connected-users", "false"), Plain.class);
        assertProblem(report, "MESA-011", "mesa.sync.enabled", "no @MesaEndpoint has an @OnAuthenticate");
        assertProblem(report, "MESA-011", "mesa.authentication.store-connected-users", "store-connected-users=true");
    }

    @Test
    void mesa012RequiredAuthenticationWithoutAuthenticator() {
        String report = failure(Map.of("mesa.endpoint.plain.authentication.required", "true"), Plain.class, Authed.class);
        assertProblem(report, "MESA-012", Plain.class.getName(), "no @OnAuthenticate");
        assertEquals(1, count(report, "MESA-012"), report);
    }

    @Test
    void mesa013InvalidOrigin() {
        String report = failure(Map.of("mesa.limits.allowed-origins", "https://ok.example, not an origin, http://x.example/path"),
                Plain.class);
        assertProblem(report, "MESA-013", "mesa.limits.allowed-origins", "'not an origin' is not an origin");
        assertProblem(report, "MESA-013", "mesa.limits.allowed-origins", "'http://x.example/path' is not an origin");
    }

    @Test
    void mesa014RedisNamedMoreThanOneWay() {
        String report = failure(Map.of("mesa.redis.uri", "redis://127.0.0.1:6379",
                "mesa.redis.cluster.nodes", "127.0.0.1:7000,127.0.0.1:7001"), Plain.class);
        assertProblem(report, "MESA-014", "mesa.redis", "name Redis one way only");
        String sentinel = failure(Map.of("mesa.redis.sentinel.master", "mymaster"), Plain.class);
        assertProblem(sentinel, "MESA-014", "mesa.redis.sentinel.nodes", "needs both");
    }

    @Test
    void mesa010BadRedisUriNeverShowsThePassword() {
        String report = failure(Map.of("mesa.redis.uri", "redis://admin:s3cret@cache:notaport"), Plain.class);
        assertProblem(report, "MESA-010", "mesa.redis.uri", "redis://***@cache:notaport");
        assertTrue(!report.contains("s3cret"), report);
        String nodes = failure(Map.of("mesa.redis.cluster.nodes", "cache-1:7000, cache-2"), Plain.class);
        assertProblem(nodes, "MESA-010", "mesa.redis.cluster.nodes", "'cache-2' is not host:port");
        String perEndpoint = failure(Map.of("mesa.endpoint.plain.redis.uri", "redis://x:1"), Plain.class);
        assertProblem(perEndpoint, "MESA-010", "mesa.endpoint.plain.redis.uri", "application-wide");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String report = failure(Map.of("mesa.sync.redelivery-interval", "-5s"),
                NoSlash.class, BadParams.class, SameType.class, BadMethods.class);
        for (String code : new String[] {"MESA-001", "MESA-003", "MESA-005", "MESA-007", "MESA-010"}) {
            assertTrue(report.contains(code), code + " missing from " + report);
        }
        Matcher m = Pattern.compile("Mesa found (\\d+) problems").matcher(report);
        assertTrue(m.find(), report);
        assertEquals(count(report, "MESA-0"), Integer.parseInt(m.group(1)), report);
    }

    private static String failure(Map<String, String> config, Class<?>... beans) {
        DeploymentException e = assertThrows(DeploymentException.class, () -> Deployment.of(config, beans).close());
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && m.startsWith("Mesa found")) {
                return m;
            }
        }
        throw new AssertionError("the deployment failed, but not with Mesa's report", e);
    }

    private static void assertProblem(String report, String code, String where, String what) {
        for (String line : report.split("\\R")) {
            if (line.contains(code + ": " + where) && line.contains(what)) {
                return;
            }
        }
        throw new AssertionError("expected a line with '" + code + ": " + where + "' and '" + what + "' in:\n" + report);
    }

    private static int count(String report, String needle) {
        int n = 0;
        for (String line : report.split("\\R")) {
            if (line.trim().startsWith(needle)) {
                n++;
            }
        }
        return n;
    }
}
