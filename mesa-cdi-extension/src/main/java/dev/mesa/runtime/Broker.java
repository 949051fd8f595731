package dev.mesa.runtime;

import java.util.concurrent.CompletionStage;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What connects the instances of one application: carries envelopes to the
 * other instances, keeps the shared record of who is connected, and holds the
 * messages that wait for users who are away. The in-memory broker serves a
 * single instance; {@code dev.mesa.runtime.redis} replicates through Redis.
 *
 * <p>Every method returns at once: implementations that talk to a network do
 * so on their own threads, never on the caller's.
 */
public interface Broker {

    /**
     * Starts receiving.
     *
     * @param fromOtherInstances gets envelopes published by other instances
     * @param numberedHere       gets this instance's envelopes once {@link #logs() the log} numbered them, for
     *                           this instance's resuming connections
     */
    void start(Consumer<Envelope> fromOtherInstances, Consumer<Envelope> numberedHere);

    /**
     * Sends an envelope to the other instances (this instance has already
     * delivered it to its own connections, but for resuming ones when it is to be logged).
     *
     * @param envelope the envelope
     * @param away     {@link Envelope.Audience#USERS} recipients with no connection on this instance, for
     *                 which a synced message is stored if no other instance holds them either; empty unless
     *                 sync is on
     * @param toLog    recipients whose log takes the message first (only when this broker {@link #logs()})
     * @return completes once the message is logged and handed to the other instances; exceptionally when not
     */
    CompletionStage<Void> publish(Envelope envelope, Set<String> away, Set<String> toLog);

    /** @return whether this broker keeps the resume extension's per-user log, shared by the instances */
    boolean logs();

    /** Reads a user's log for a resuming client; {@code then} may run on another thread, and gets null when the log cannot be read. */
    void readLog(String user, String epoch, long after, Consumer<Replay> then);

    /**
     * Reads a user's log for a client that resumes: as {@link #readLog}, after moving into the log what
     * other processes (Node Mesa) stored for the user in Mesa 1.x's store, so that a resuming client gets
     * those too, numbered.
     */
    default void readLogOnResume(String user, String epoch, long after, Consumer<Replay> then) {
        readLog(user, epoch, after, then);
    }

    /** A resuming client processed the user's messages up to {@code seq}. */
    void acknowledge(String user, long seq);

    /** Whether another instance may hold a user this instance does not: then "away here" is not "away". */
    boolean replicated();

    /** A connection opened on this instance. */
    void connectionOpened();

    /** A connection closed on this instance. */
    void connectionClosed();

    /** A connection of this instance authenticated as {@code user}. */
    void userBound(String user);

    /** A connection of this instance stopped being {@code user}'s (closed, or authenticated as someone else). */
    void userUnbound(String user);

    /** @return where messages wait for users who are away */
    SyncStore syncStore();

    /** Stops threads and releases connections; withdraws this instance's presence where it can. */
    void stop();
}
