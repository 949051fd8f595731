package dev.mesa.it.cluster;

import dev.mesa.it.cluster.DeliveryCheck.Sent;
import dev.mesa.it.cluster.harness.LibertyInstance;
import dev.mesa.it.cluster.harness.MesaCluster;
import jakarta.json.Json;
import jakarta.json.JsonObject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The resume extension's delivery guarantee (docs/resume.md) under faults, on two real instances sharing one real
 * Redis: every message the Dispatcher accepted reaches a resuming client, in order, with no gap, and the client only
 * ever has to drop duplicates of messages it had not acknowledged yet ({@link DeliveryCheck}).
 *
 * <p>The cluster WAR itself runs without sync; this class gives both servers {@code MESA_SYNC_ENABLED=true} (so the
 * resume extension is offered, its log a Redis Stream per user). Each scenario has a user of its own (so its s
 * starts at 1). The {@code kill -9} scenario runs last: instance a is gone afterwards.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ResumeFaultIT {

    @RegisterExtension
    static final MesaCluster cluster = MesaCluster.withNamespace("").withEnv("MESA_SYNC_ENABLED", "true");

    static final String TYPE = "R";

    private final Traffic t = new Traffic();
    private final ResumeClients clients = new ResumeClients();
    private final List<Sender> senders = new ArrayList<>();
    private long startedAt;

    @BeforeEach
    void start(TestInfo info) {
        cluster.awaitReplication();
        startedAt = System.nanoTime();
        System.out.println("[resume] ---- " + info.getDisplayName());
    }

    @AfterEach
    void stop(TestInfo info) {
        senders.forEach(Sender::cancel);
        clients.close();
        System.out.println("[resume] ---- " + info.getDisplayName() + " took " + ms(System.nanoTime() - startedAt) + " ms");
    }

    // ------------------------------------------------------------------ 2. a client drops in the middle of a replay

    @Test
    @Order(1)
    void clientDroppingInTheMiddleOfAReplayResumesWithExactlyTheRest() {
        LibertyInstance a = cluster.a();
        LibertyInstance b = cluster.b();
        String user = t.user("replay");

        // user offline: 100 messages through b's Dispatcher, all logged
        Sender s = sender("b", b, user, 100, 0, 0);
        s.run();
        assertEquals(100, s.accepted().size(), "accepted " + s.describe());
        awaitLogLength(user, 100);

        // a new client (epoch null, s 0) on a: served from the start; it drops right after processing the 40th
        ResumeClient c = clients.client("replay", user, 10).targets(List.of(cluster.ws(a))).abortAfter(40);
        ResumeClient.Header first = c.connect(cluster.ws(a));
        assertFalse(first.reset(), "position 0 is served from the start while nothing was dropped: " + first);
        assertEquals(0, first.s(), "op 23 s for a new client: " + first);
        c.awaitDisconnected(Duration.ofSeconds(10));
        assertEquals(40, c.processedCount(), c.describe());
        assertEquals(LongStream.rangeClosed(1, 40).boxed().toList(), c.received(1), "the first connection, up to its drop");

        // resumes on the other instance from s=40: exactly 41..100, then nothing more (ECHO barrier)
        ResumeClient.Header second = c.connect(cluster.ws(b));
        assertEquals(new ResumeClient.Header(2, cluster.ws(b), first.epoch(), 40, false, first.epoch(), 40), second,
                "op 23 of the resume from s=40");
        c.awaitProcessed(100, Duration.ofSeconds(15));
        c.echo("replay-done", Duration.ofSeconds(10));
        assertEquals(LongStream.rangeClosed(41, 100).boxed().toList(), c.received(2),
                "the resumed connection gets exactly s=41..100, once each\n" + c.describe());
        DeliveryCheck.assertDelivered("replay drop", c, TYPE, s.accepted(), s.uncertain(), 1);
    }

    // ------------------------------------------------------------------ 4. one user, three connections, two instances

    @Test
    @Order(2)
    void oneUserOnThreeConnectionsAcrossInstancesEachRemainingConnectionGetsEveryMessageOnce() {
        LibertyInstance a = cluster.a();
        LibertyInstance b = cluster.b();
        String user = t.user("multi");

        ResumeClient a1 = clients.client("multi-a1", user, 10);
        ResumeClient a2 = clients.client("multi-a2", user, 10);
        ResumeClient b1 = clients.client("multi-b1", user, 10);
        for (ResumeClient c : List.of(a1, a2)) {
            c.targets(List.of(cluster.ws(a)));
            assertFalse(c.connect(cluster.ws(a)).reset());
        }
        b1.targets(List.of(cluster.ws(b)));
        assertFalse(b1.connect(cluster.ws(b)).reset());

        // two streams at once, one through each instance's Dispatcher
        Sender viaA = sender("a", a, user, 90, 8, 64).start();
        Sender viaB = sender("b", b, user, 90, 8, 64).start();
        a1.awaitProcessed(50, Duration.ofSeconds(20));
        a1.closeNormally();
        int a1Count = a1.processedCount();
        assertTrue(viaA.sent() < 90 || viaB.sent() < 90, "a1 closed while messages still flowed: " + viaA.sent() + ", " + viaB.sent());
        System.out.println("[resume] a1 closed after processing " + a1Count + " (dispatched so far: a " + viaA.sent()
                + ", b " + viaB.sent() + ")");
        viaA.join(Duration.ofSeconds(30));
        viaB.join(Duration.ofSeconds(30));

        List<Sent> accepted = concat(viaA.accepted(), viaB.accepted());
        List<Sent> uncertain = concat(viaA.uncertain(), viaB.uncertain());
        assertTrue(uncertain.isEmpty(), "every dispatch on a live instance answers: " + uncertain);
        // both remaining connections checked, then one verdict (so a failure describes both)
        List<String> failures = new ArrayList<>();
        for (ResumeClient c : List.of(a2, b1)) {
            try {
                if (!c.reached(accepted.size(), Duration.ofSeconds(20))) {
                    throw new AssertionError(c.name + ": not at s=" + accepted.size() + " within 20 s");
                }
                c.echo("multi-done", Duration.ofSeconds(10));
                DeliveryCheck.assertDelivered(c.name, c, TYPE, accepted, uncertain, 1);
                // nothing went wrong on these: one connection, every message exactly once, nothing dropped by the client
                assertEquals(LongStream.rangeClosed(1, accepted.size()).boxed().toList(), c.received(1),
                        c.name + ": every numbered frame exactly once on its one connection");
                assertEquals(1, c.connections(), c.name + ": connections");
            } catch (AssertionError e) {
                String m = String.valueOf(e.getMessage());
                failures.add(m.contains("  events:") ? m : m + "\n" + c.describe());
            }
        }
        if (!failures.isEmpty()) {
            throw new AssertionError(failures.size() + " of the 2 remaining connections failed:\n\n"
                    + String.join("\n\n", failures));
        }
        // the closed one got a gap-free prefix
        List<Long> prefix = a1.processed().stream().map(ResumeClient.Delivery::s).toList();
        assertEquals(LongStream.rangeClosed(1, prefix.size()).boxed().toList(), prefix, "a1 before its close\n" + a1.describe());
        assertTrue(a1.gaps().isEmpty() && a1.duplicates().isEmpty(), a1.describe());
    }

    // ------------------------------------------------------------------ 3. Redis drops a subscriber (output buffer)

    @Test
    @Order(3)
    void subscriberDroppedByRedisForItsOutputBufferClientSeesTheGapAndResumes() throws IOException {
        LibertyInstance a = cluster.a();
        LibertyInstance b = cluster.b();
        String user = t.user("buffer");
        String original = configGet("client-output-buffer-limit");
        String lostBefore = countOf(a.log(), "lost its Redis subscription");
        long redisLogBefore = redisLog().length();

        ResumeClient c = clients.client("buffer", user, 20).targets(List.of(cluster.ws(a)));
        assertFalse(c.connect(cluster.ws(a)).reset());
        List<Sender> flood = new ArrayList<>();
        try {
            assertEquals("OK", cluster.redisCall("CONFIG", "SET", "client-output-buffer-limit", "pubsub 16kb 8kb 1"));
            // a few hundred 4 KB messages for the user on a, through b, from three senders at once
            for (int i = 0; i < 3; i++) {
                flood.add(sender("f" + i, b, user, 100, 0, 4096).start());
            }
            for (Sender s : flood) {
                s.join(Duration.ofSeconds(60));
            }
        } finally {
            assertEquals("OK", cluster.redisCall("CONFIG", "SET", "client-output-buffer-limit", original));
        }
        assertEquals(original, configGet("client-output-buffer-limit"), "limit restored");

        // proof that Redis really dropped a subscriber, not just a slow run
        String redisSaid = redisLog().substring((int) Math.min(redisLogBefore, redisLog().length()));
        long closedForBuffer = redisSaid.lines().filter(l -> l.contains("output buffer limits")).count();
        String lostAfter = countOf(a.log(), "lost its Redis subscription");
        System.out.println("[resume] flood done: Redis closed " + closedForBuffer + " client(s) for their output buffer;"
                + " a logged 'lost its Redis subscription' " + lostBefore + " → " + lostAfter + " time(s); client so far: "
                + c.processedCount() + " processed, " + c.gaps().size() + " gap(s)");
        assertTrue(closedForBuffer > 0, "Redis did not drop any subscriber for its output buffer: the scenario proves"
                + " nothing. redis.log since the flood:\n" + redisSaid);
        assertTrue(!lostAfter.equals(lostBefore), "a did not lose its subscription (messages.log)\n"
                + tail(a.log(), 20));

        // a resubscribes by itself; a few more messages then reveal any gap the flood's tail left
        Traffic.await("a and b subscribed again", Duration.ofSeconds(15), () -> cluster.subscribers(cluster.key("ws")) == 2);
        Sender tail = sender("tail", b, user, 5, 20, 0);
        tail.run();
        List<Sent> accepted = new ArrayList<>(tail.accepted());
        List<Sent> uncertain = new ArrayList<>(tail.uncertain());
        flood.forEach(s -> {
            accepted.addAll(s.accepted());
            uncertain.addAll(s.uncertain());
        });
        c.awaitProcessed(accepted.size(), Duration.ofSeconds(30));
        c.echo("buffer-done", Duration.ofSeconds(10));
        System.out.println("[resume] buffer client: " + c.gaps().size() + " gap(s) " + c.gaps() + ", " + c.connections()
                + " connection(s)");
        DeliveryCheck.assertDelivered("subscriber dropped by Redis", c, TYPE, accepted, uncertain, 1);
    }

    // ------------------------------------------------------------------ 1. kill -9 of the instance holding the connection

    @Test
    @Order(4)
    void killMinus9OfTheInstanceHoldingTheConnectionClientResumesOnTheOtherWithEverything() {
        LibertyInstance a = cluster.a();
        LibertyInstance b = cluster.b();
        String user = t.user("crash");

        ResumeClient c = clients.client("crash", user, 10).targets(List.of(cluster.ws(a), cluster.ws(b)));
        assertFalse(c.connect(cluster.ws(a)).reset());

        Sender s = sender("b", b, user, 200, 15, 64).start();
        c.awaitProcessed(60, Duration.ofSeconds(20));
        int processedAtKill = c.processedCount();
        int sentAtKill = s.sent();
        LibertyInstance.Killed killed = a.kill9();
        System.out.println("[resume] SIGKILL to a (pid " + killed.jvmPid() + ") with " + processedAtKill + " processed, "
                + sentAtKill + " dispatched; gone after " + ms(killed.goneAtNanos() - killed.signalledAtNanos()) + " ms");
        assertTrue(sentAtKill < 200, "the kill came mid-stream");

        s.join(Duration.ofSeconds(30));
        assertTrue(s.uncertain().isEmpty(), "b answered every dispatch: " + s.describe());
        c.awaitProcessed(s.accepted().size(), Duration.ofSeconds(30));
        c.echo("crash-done", Duration.ofSeconds(10));
        int lastConnection = c.connections();
        assertTrue(lastConnection >= 2, "the client resumed after the kill\n" + c.describe());
        assertEquals(cluster.ws(b), c.uriOf(lastConnection), "the client resumed on b\n" + c.describe());
        DeliveryCheck.assertDelivered("kill -9", c, TYPE, s.accepted(), s.uncertain(), 1);
    }

    // ------------------------------------------------------------------ helpers

    private Sender sender(String src, LibertyInstance via, String user, int count, long pauseMillis, int padBytes) {
        Sender s = new Sender(src, via, user, count, pauseMillis, padBytes);
        senders.add(s);
        return s;
    }

    /**
     * Dispatches {@code {"src", "n": 1..count, "pad"}} to one user through one instance's REST Dispatcher, in order,
     * one call at a time: 200 {@code ok} = accepted, no answer = uncertain.
     */
    static final class Sender implements Runnable {
        final String src;
        final LibertyInstance via;
        final String user;
        final int count;
        final long pauseMillis;
        final String pad;
        private final List<Sent> accepted = Collections.synchronizedList(new ArrayList<>());
        private final List<Sent> uncertain = Collections.synchronizedList(new ArrayList<>());
        private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        private volatile int sent;
        private volatile boolean cancelled;
        private Thread thread;

        Sender(String src, LibertyInstance via, String user, int count, long pauseMillis, int padBytes) {
            this.src = src;
            this.via = via;
            this.user = user;
            this.count = count;
            this.pauseMillis = pauseMillis;
            this.pad = "x".repeat(padBytes);
        }

        Sender start() {
            thread = new Thread(this, "sender-" + src);
            thread.setDaemon(true);
            thread.start();
            return this;
        }

        @Override
        public void run() {
            for (int n = 1; n <= count && !cancelled; n++) {
                JsonObject body = Json.createObjectBuilder().add("ids", Json.createArrayBuilder().add(user)).add("type", TYPE)
                        .add("payload", Json.createObjectBuilder().add("src", src).add("n", n).add("pad", pad)).build();
                Sent m = new Sent(src, n);
                try {
                    cluster.dispatch(via, body);
                    accepted.add(m);
                } catch (AssertionError e) {
                    uncertain.add(m);
                    errors.add(m + ": " + e.getMessage());
                }
                sent = n;
                if (pauseMillis > 0) {
                    try {
                        Thread.sleep(pauseMillis);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }
        }

        void join(Duration timeout) {
            try {
                thread.join(timeout.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                throw new AssertionError("sender " + src + " not done within " + timeout.toMillis() + " ms: " + describe());
            }
        }

        void cancel() {
            cancelled = true;
        }

        int sent() {
            return sent;
        }

        List<Sent> accepted() {
            synchronized (accepted) {
                return List.copyOf(accepted);
            }
        }

        List<Sent> uncertain() {
            synchronized (uncertain) {
                return List.copyOf(uncertain);
            }
        }

        String describe() {
            synchronized (errors) {
                return src + " via " + via.name() + ": " + sent + " sent, " + accepted.size() + " accepted, errors "
                        + (errors.size() > 5 ? errors.subList(0, 5) + "…" : errors);
            }
        }
    }

    /** Waits until the user's Redis Stream holds {@code n} entries (the Dispatcher logs from its worker thread). */
    private static void awaitLogLength(String user, long n) {
        String key = "{mesa:" + user + "}:log";
        try {
            Traffic.await(key + " holds " + n + " entries", Duration.ofSeconds(10),
                    () -> Long.valueOf(n).equals(cluster.redisCall("XLEN", key)));
        } catch (AssertionError e) {
            throw new AssertionError("XLEN " + key + " = " + cluster.redisCall("XLEN", key), e);
        }
    }

    private static String configGet(String name) {
        List<?> r = (List<?>) cluster.redisCall("CONFIG", "GET", name);
        return (String) r.get(1);
    }

    private static Path redisLogPath() {
        return Path.of(System.getProperty("mesa.it.cluster.dir", "target/cluster")).toAbsolutePath()
                .resolve(ResumeFaultIT.class.getSimpleName()).resolve("redis").resolve("redis.log");
    }

    private static String redisLog() throws IOException {
        return Files.readString(redisLogPath(), StandardCharsets.UTF_8);
    }

    private static String countOf(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return Integer.toString(n);
    }

    private static String tail(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    private static <T> List<T> concat(List<T> x, List<T> y) {
        List<T> all = new ArrayList<>(x);
        all.addAll(y);
        return all;
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
