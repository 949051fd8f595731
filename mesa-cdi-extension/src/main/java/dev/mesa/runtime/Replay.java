package dev.mesa.runtime;

import java.util.List;

/**
 * What a resuming client gets from a user's log (see docs/resume.md).
 *
 * @param epoch   the log's epoch
 * @param from    the position the stream continues from: the client's own, or the head when reset
 * @param reset   whether the client's position could not be served (other epoch, or beyond retention)
 * @param entries the entries after {@code from}, in order
 */
public record Replay(String epoch, long from, boolean reset, List<Entry> entries) {

    /** Copies the list. */
    public Replay {
        entries = List.copyOf(entries);
    }

    /**
     * One logged message.
     *
     * @param seq   its sequence for the user
     * @param frame its frame, without {@code s}
     */
    public record Entry(long seq, String frame) {
    }
}
