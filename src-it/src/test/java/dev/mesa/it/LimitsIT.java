package dev.mesa.it;

import dev.mesa.it.client.Await;
import dev.mesa.it.client.CloseInfo;
import dev.mesa.it.client.WsClient;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static dev.mesa.it.Deployments.ws;
import static dev.mesa.it.TestApps.CORE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outbound queue overflow (4001) on /flood (queue of 8) and idle timeout (4002) on /idle (700 ms). */
class LimitsIT extends CoreApp {

    private static int floodsDone() {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(Deployments.http(CORE, "/api/mesa/floods")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return Integer.parseInt(r.body().trim());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void clientThatDoesNotReadIsClosedWith4001AndOthersAreUnaffected() {
        WsClient witness = clients.connected(ws(CORE, "/flood"));
        WsClient slow = clients.connected(ws(CORE, "/flood"));
        int before = floodsDone();
        slow.pause();
        // 300 × 64 KiB ≈ 19 MiB: far more than loopback socket buffers hold
        slow.dispatch("FLOOD", J.value("{'count':300,'size':65536}"));
        Await.until("the flood handler finished", Duration.ofSeconds(20), () -> floodsDone() > before);
        slow.resume();
        CloseInfo close = slow.awaitClose(Duration.ofSeconds(20));
        assertEquals(4001, close.code(), "close: " + close);
        long floodFrames = slow.frames().stream().filter(f -> "F".equals(f.type())).count();
        assertTrue(floodFrames < 300, "the slow client got all " + floodFrames + " frames: nothing overflowed");
        witness.echoRoundTrip("witness-after-flood");
    }

    @Test
    void aReadingClientGetsASmallBurstInOrder() {
        WsClient c = clients.connected(ws(CORE, "/flood"));
        c.dispatch("FLOOD", J.value("{'count':8,'size':16}"));
        for (int i = 0; i < 8; i++) {
            assertEquals(i, c.next().getJsonObject("d").getInt("i"));
        }
        c.echoRoundTrip("burst-ok");
    }

    @Test
    void silentClientIsClosedWith4002AfterTheIdleTimeout() {
        WsClient c = clients.connected(ws(CORE, "/idle"));
        CloseInfo close = c.awaitClose(Duration.ofSeconds(5));
        assertEquals(4002, close.code(), "close: " + close);
        long ms = c.millisSinceOpen(close.atNanos());
        assertTrue(ms >= 600, "closed after " + ms + " ms; the idle timeout is 700 ms");
    }

    @Test
    void inboundFramesResetTheIdleTimeout() {
        WsClient c = clients.connected(ws(CORE, "/idle"));
        long start = System.nanoTime();
        // keep talking every ~300 ms for 1.5 s (twice the idle timeout); pacing input, not asserting on time
        for (int i = 0; i < 5; i++) {
            long due = start + Duration.ofMillis(300L * (i + 1)).toNanos();
            Await.until("next send slot", Duration.ofSeconds(2), () -> System.nanoTime() >= due || c.isClosed());
            assertFalse(c.isClosed(), () -> "closed although active: " + c.awaitClose());
            c.echoRoundTrip("active-" + i);
        }
    }
}
