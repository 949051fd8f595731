package dev.mesa.it;

import dev.mesa.it.client.Await;
import dev.mesa.it.client.CloseInfo;
import dev.mesa.it.client.Frame;
import dev.mesa.it.client.WsClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static dev.mesa.it.Deployments.ws;
import static dev.mesa.it.TestApps.CORE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /hb: heartbeat every 400 ms, max-attempts 2. */
class HeartbeatIT extends CoreApp {

    @Test
    void answeredHeartbeatsKeepTheConnectionOpenPastSeveralIntervals() {
        WsClient c = clients.connect(ws(CORE, "/hb")); // answers op 1 with op 11 {}
        c.hello();
        // 6 heartbeats = 2.4 s, far past max-attempts (2) × interval (400 ms)
        Await.until("6 heartbeats", Duration.ofSeconds(8),
                () -> c.frames().stream().filter(f -> f.op() == 1).count() >= 6 || c.isClosed());
        assertFalse(c.isClosed(), () -> "closed although every heartbeat was answered: " + c.awaitClose());
        List<Frame> heartbeats = c.frames().stream().filter(f -> f.op() == 1).toList();
        for (Frame f : heartbeats) {
            assertEquals(J.obj("{'op':1,'d':{}}"), f.json(), "an answered client only ever gets op 1 {}");
        }
        // no other unprompted frame
        assertEquals(heartbeats.size() + 1, c.frames().size(), () -> "frames: " + c.frames());
        // the interval is honoured (lenient lower bound: 6 beats cannot come in under 5 × 400 ms minus jitter)
        long spanMs = Duration.ofNanos(heartbeats.get(5).atNanos() - heartbeats.get(0).atNanos()).toMillis();
        assertTrue(spanMs >= 1500, "6 heartbeats within " + spanMs + " ms: interval not honoured");
        // and the connection still works
        c.dispatch("ECHO", J.value("{'alive':true}"));
        assertEquals(J.obj("{'op':0,'d':{'alive':true},'t':'ECHO'}"),
                c.nextMatching(o -> o.getInt("op", -1) != 1, Await.SHORT));
        assertFalse(c.isClosed());
    }

    @Test
    void silentClientGetsCountedHeartbeatsThenCloses4000() {
        WsClient c = clients.connect(ws(CORE, "/hb")).silent();
        c.hello();
        CloseInfo close = c.awaitClose(Duration.ofSeconds(6));
        List<Object> got = c.unread().stream().map(f -> (Object) f.json()).toList();
        assertEquals(List.of(J.obj("{'op':1,'d':{}}"),
                        J.obj("{'op':1,'d':{'tries':1,'max':2}}"),
                        J.obj("{'op':1,'d':{'tries':2,'max':2}}")), got,
                () -> "frames after hello, with ms since open: " + c.unread().stream()
                        .map(f -> c.millisSinceOpen(f.atNanos()) + "ms " + f).toList() + ", close " + close
                        + " at " + c.millisSinceOpen(close.atNanos()) + "ms");
        assertEquals(4000, close.code(), "close: " + close);
        long ms = c.millisSinceOpen(close.atNanos());
        assertTrue(ms >= 1000, "closed after " + ms + " ms: too early for 4 intervals of 400 ms");
    }
}
