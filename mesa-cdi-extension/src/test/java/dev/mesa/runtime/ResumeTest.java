package dev.mesa.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The resume extension (docs/resume.md) on a single instance. */
class ResumeTest {

    private static final Duration WAIT = Duration.ofSeconds(3);

    private Deployment deployment;
    private EndpointRuntime open;
    private RecordingTransport sender;

    @BeforeEach
    void deploy() throws InterruptedException {
        deployment = Deployment.of(Map.of("mesa.sync.enabled", "true"), EngineTest.Open.class);
        open = deployment.endpoint("/open");
        sender = RecordingTransport.open(open);
        sender.text("{\"op\":2,\"d\":{\"token\":\"u:sender\"}}");
        sender.await(f -> f.getInt("op") == 22, WAIT);
    }

    @AfterEach
    void undeploy() {
        deployment.close();
    }

    private void send(String to, String type, int n) {
        sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"" + to + "\"],\"type\":\"" + type + "\",\"payload\":" + n + "}}");
    }

    /** Authenticates with a resume position; returns the transport once op 23 arrived. */
    private RecordingTransport resume(String user, String epoch, long s) throws InterruptedException {
        RecordingTransport t = RecordingTransport.open(open);
        String e = epoch == null ? "null" : "\"" + epoch + "\"";
        t.text("{\"op\":2,\"d\":{\"token\":\"u:" + user + "\",\"shouldSync\":true,\"resume\":{\"epoch\":" + e + ",\"s\":" + s + "}}}");
        t.await(f -> f.getInt("op") == 23, WAIT);
        return t;
    }

    private static JsonObject header(RecordingTransport t) {
        return t.json().stream().filter(f -> f.getInt("op") == 23).findFirst().orElseThrow().getJsonObject("d");
    }

    /** The N messages after the header, as "payload@s". */
    private static List<String> after(RecordingTransport t) {
        return t.json().stream().filter(f -> "N".equals(f.getString("t", null)))
                .map(f -> f.getInt("d") + "@" + (f.containsKey("s") ? f.getInt("s") : "-")).toList();
    }

    @Test
    void helloAdvertisesTheRule() {
        JsonObject hello = RecordingTransport.open(open).json().get(0);
        assertTrue(hello.getJsonObject("d").getJsonArray("rules").getValuesAs(JsonString::getString).contains("resume"));
    }

    @Test
    void aNewClientGetsEverythingWhileNothingWasDropped() throws Exception {
        send("rae", "N", 1);
        send("rae", "N", 2);
        RecordingTransport rae = resume("rae", null, 0);
        JsonObject h = header(rae);
        assertFalse(h.getBoolean("reset"), "position 0 is served from the start");
        assertEquals(0, h.getInt("s"));
        send("rae", "N", 3);
        rae.await(f -> f.getInt("s", 0) == 3, WAIT);
        assertEquals(List.of("1@1", "2@2", "3@3"), after(rae), "replayed, then live, numbered on");
        List<String> order = rae.json().stream().map(f -> Integer.toString(f.getInt("op"))).toList();
        assertEquals(List.of("10", "22", "23", "0", "0", "0"), order);
    }

    @Test
    void aNewClientIsResetOnceSomethingWasDropped() throws Exception {
        RecordingTransport first = resume("rob", null, 0);
        send("rob", "N", 1);
        send("rob", "N", 2);
        first.await(f -> f.getInt("s", 0) == 2, WAIT);
        first.text("{\"op\":3,\"d\":{\"s\":1}}");
        first.close(1000, "");
        JsonObject h = header(resume("rob", null, 0));
        assertTrue(h.getBoolean("reset"), "message 1 was acknowledged and dropped: a new client must resynchronise");
        assertEquals(2, h.getInt("s"));
    }

    @Test
    void reconnectingReplaysExactlyWhatFollowsThenLive() throws Exception {
        RecordingTransport first = resume("sam", null, 0);
        String epoch = header(first).getString("epoch");
        RecordingTransport legacy = RecordingTransport.open(open);
        legacy.text("{\"op\":2,\"d\":{\"token\":\"u:sam\",\"shouldSync\":true}}");
        legacy.await(f -> f.getInt("op") == 22, WAIT);

        send("sam", "N", 1);
        send("sam", "N", 2);
        first.await(f -> f.getInt("s", 0) == 2, WAIT);
        assertEquals(List.of("1@1", "2@2"), after(first));
        assertEquals(List.of("1@-", "2@-"), after(legacy), "Mesa 1.x connections get no s");
        first.close(1000, "");
        legacy.close(1000, "");

        send("sam", "N", 3);
        send("sam", "N", 4);
        sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"ids\":[\"sam\"],\"type\":\"TRANSIENT\",\"payload\":0}}");
        RecordingTransport again = resume("sam", epoch, 2);
        JsonObject h = header(again);
        assertFalse(h.getBoolean("reset"));
        assertEquals(2, h.getInt("s"));
        assertEquals(epoch, h.getString("epoch"));
        send("sam", "N", 5);
        again.await(f -> f.getInt("s", 0) == 5, WAIT);
        assertEquals(List.of("3@3", "4@4", "5@5"), after(again), "no gap, no duplicate, transient not logged");
    }

    @Test
    void acknowledgedHistoryAndOtherEpochsAreReset() throws Exception {
        RecordingTransport t = resume("tia", null, 0);
        String epoch = header(t).getString("epoch");
        for (int i = 1; i <= 4; i++) {
            send("tia", "N", i);
        }
        t.await(f -> f.getInt("s", 0) == 4, WAIT);
        t.text("{\"op\":3,\"d\":{\"s\":3}}");
        t.close(1000, "");
        JsonObject behind = header(resume("tia", epoch, 1));
        assertTrue(behind.getBoolean("reset"), "1..3 were acknowledged and trimmed");
        assertEquals(4, behind.getInt("s"));
        RecordingTransport fine = resume("tia", epoch, 3);
        assertFalse(header(fine).getBoolean("reset"));
        fine.await(f -> f.getInt("s", 0) == 4, WAIT);
        assertTrue(header(resume("tia", "not-this-log", 3)).getBoolean("reset"));
    }

    @Test
    void broadcastsCarryNoSequence() throws Exception {
        RecordingTransport t = resume("uma", null, 0);
        sender.text("{\"op\":0,\"t\":\"SEND\",\"d\":{\"type\":\"N\",\"payload\":9}}");
        t.await(f -> "N".equals(f.getString("t", null)), WAIT);
        assertEquals(List.of("9@-"), after(t));
    }

    @Test
    void turnedOffItIsNotOfferedAndResumeIsIgnored() throws Exception {
        deployment.close();
        deployment = Deployment.of(Map.of("mesa.sync.enabled", "true", "mesa.sync.resume", "false"), EngineTest.Open.class);
        open = deployment.endpoint("/open");
        RecordingTransport t = RecordingTransport.open(open);
        assertFalse(t.json().get(0).getJsonObject("d").getJsonArray("rules").getValuesAs(JsonString::getString).contains("resume"));
        t.text("{\"op\":2,\"d\":{\"token\":\"u:vic\",\"resume\":{\"epoch\":null,\"s\":0}}}");
        t.await(f -> f.getInt("op") == 22, WAIT);
        t.text("{\"op\":0,\"t\":\"ECHO\",\"d\":1}");
        t.await(f -> "ECHO".equals(f.getString("t", null)), WAIT);
        assertTrue(t.json().stream().noneMatch(f -> f.getInt("op") == 23));
    }

    @Test
    void badResumeAndStrayAcksAreRefused() throws Exception {
        RecordingTransport bad = RecordingTransport.open(open);
        bad.text("{\"op\":2,\"d\":{\"token\":\"u:x\",\"resume\":{\"s\":-1}}}");
        assertEquals(1007, bad.awaitClose(WAIT));
        RecordingTransport legacy = RecordingTransport.open(open);
        legacy.text("{\"op\":2,\"d\":{\"token\":\"u:y\"}}");
        legacy.await(f -> f.getInt("op") == 22, WAIT);
        legacy.text("{\"op\":3,\"d\":{\"s\":1}}");
        assertEquals(1002, legacy.awaitClose(WAIT), "op 3 means nothing without resume");
    }
}
