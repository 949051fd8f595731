package dev.mesa.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class UserLogTest {

    private final AtomicLong now = new AtomicLong();
    private final UserLog log = new UserLog(3, Duration.ofSeconds(10), now::get);

    private List<Long> seqs(Replay r) {
        return r.entries().stream().map(Replay.Entry::seq).toList();
    }

    @Test
    void numbersPerUserAndReplaysWhatFollowsAPosition() {
        assertEquals(1, log.append("ann", "a1"));
        assertEquals(2, log.append("ann", "a2"));
        assertEquals(1, log.append("bob", "b1"));
        Replay r = log.read("ann", log.epoch(), 1);
        assertFalse(r.reset());
        assertEquals(1, r.from());
        assertEquals(List.of(2L), seqs(r));
        assertEquals("a2", r.entries().get(0).frame());
        assertEquals(List.of(), seqs(log.read("ann", log.epoch(), 2)));
    }

    @Test
    void anUnknownEpochOrAPositionItCannotServeResetsToTheHead() {
        log.append("ann", "a1");
        log.append("ann", "a2");
        Replay other = log.read("ann", "another-epoch", 1);
        assertTrue(other.reset());
        assertEquals(2, other.from());
        assertTrue(other.entries().isEmpty());
        Replay fresh = log.read("ann", null, 0);
        assertFalse(fresh.reset(), "position 0 is served from the start while nothing was dropped");
        assertEquals(List.of(1L, 2L), seqs(fresh));
        assertTrue(log.read("ann", null, 1).reset(), "without the epoch, only position 0 means anything");
        assertTrue(log.read("ann", log.epoch(), 3).reset(), "a position past the head is not ours");
        assertFalse(log.read("nobody", log.epoch(), 0).reset(), "an empty log serves position 0");
    }

    @Test
    void retentionByCountAndAgeAndAcknowledgementsTrim() {
        for (int i = 1; i <= 5; i++) {
            log.append("ann", "a" + i);
        }
        assertEquals(List.of(3L, 4L, 5L), seqs(log.read("ann", log.epoch(), 2)), "count: 3 kept");
        assertTrue(log.read("ann", log.epoch(), 1).reset(), "4 and up were asked for, 2 is gone");

        log.acknowledge("ann", 4);
        assertEquals(List.of(5L), seqs(log.read("ann", log.epoch(), 4)));
        assertTrue(log.read("ann", log.epoch(), 3).reset(), "acknowledged entries are gone");

        now.addAndGet(Duration.ofSeconds(11).toNanos());
        log.append("ann", "a6");
        assertEquals(List.of(6L), seqs(log.read("ann", log.epoch(), 5)), "age: 5 expired");
    }
}
