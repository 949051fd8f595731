package dev.mesa.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The shared writer threads and the send-timeout watchdog, with real threads. */
class WritersTest {

    @Test
    void aWriteThatOutlastsTheSendTimeoutClosesTheConnectionWith4001AndOthersKeepFlowing() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        LinkedBlockingQueue<Integer> stuckCloses = new LinkedBlockingQueue<>();
        Outbox stuck = new Outbox(new Outbox.Writer() {
            @Override
            public void write(String frame) throws java.io.IOException {
                try {
                    // a client that stopped reading: the container's blocking write does not return
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new java.io.IOException(e);
                }
            }

            @Override
            public void close(int code, String reason) {
                stuckCloses.add(code);
                release.countDown(); // closing the socket makes the blocked write fail
            }
        }, 100, 4001, Writers.WRITE, Writers.CLOSE);
        LinkedBlockingQueue<String> written = new LinkedBlockingQueue<>();
        Outbox healthy = new Outbox(new Outbox.Writer() {
            @Override
            public void write(String frame) {
                written.add(frame);
            }

            @Override
            public void close(int code, String reason) {
            }
        }, 100, 4001, Writers.WRITE, Writers.CLOSE);
        Writers.watch(stuck, 200);
        Writers.watch(healthy, 200);
        try {
            stuck.send("never leaves");
            healthy.send("a");
            assertEquals("a", written.poll(5, TimeUnit.SECONDS), "another connection is written meanwhile");
            Integer code = stuckCloses.poll(5, TimeUnit.SECONDS);
            assertEquals(4001, code, "closed by the watchdog within the send timeout plus its period");
            assertFalse(Writers.watched().contains(stuck), "no longer watched once closed");
            healthy.send("b");
            assertEquals("b", written.poll(5, TimeUnit.SECONDS));
            assertTrue(Writers.watched().contains(healthy));
        } finally {
            Writers.unwatch(stuck);
            Writers.unwatch(healthy);
            release.countDown();
        }
    }
}
