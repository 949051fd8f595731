package dev.mesa.runtime;

import java.util.function.Consumer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.logging.Logger;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.mesa.Message;
import dev.mesa.event.MessagesRedelivered;

/**
 * Message sync: keeps synced messages for users who are away and redelivers
 * them, numbered {@code s} = 1..N, when the user authenticates with
 * {@code shouldSync}.
 *
 * <p>"Is the user connected?" and "store it" happen under one per-user lock, and
 * so do "bind the new connection" and "take what was stored": a message is
 * either delivered live or stored and then redelivered, never lost between the two.
 */
@Singleton
class SyncService {

    private static final Logger LOG = Logger.getLogger("dev.mesa");
    private static final int STRIPES = 64;

    @Inject
    ConnectionRegistry registry;
    @Inject
    Codec codec;
    @Inject
    Timer timer;
    @Inject
    EventSink events;
    @Inject
    Broker broker;

    private final Object[] locks = new Object[STRIPES];
    private final LogWaits waits = new LogWaits();
    private volatile long lastWaitWarning;
    private volatile AppSettings app = new AppSettings("", false, false, 1, java.time.Duration.ofHours(24), true, null);
    private volatile UserLog log;
    private volatile boolean resumeOffered;

    /** Where a resuming client says it is: the epoch it knows (or null) and the last {@code s} it processed. */
    record Resume(String epoch, long seq) {
    }

    SyncService() {
        for (int i = 0; i < STRIPES; i++) {
            locks[i] = new Object();
        }
    }

    void configure(AppSettings settings) {
        this.app = settings;
        this.resumeOffered = settings.syncEnabled() && settings.syncResume() && (broker.logs() || !broker.replicated());
        // A single instance logs in memory; instances that share a broker share its log.
        this.log = resumeOffered && !broker.logs()
                ? new UserLog(settings.syncMaxMessages(), settings.syncRetention(), System::nanoTime) : null;
    }

    /** @return whether the resume extension is offered (announced as rule {@code resume}) */
    boolean resumeAvailable() {
        return resumeOffered;
    }

    private Object lock(String user) {
        return locks[(user.hashCode() & 0x7fffffff) % STRIPES];
    }

    /**
     * Queues the envelope on the user's connections here; with sync on and none here, stores it
     * (single instance) or adds the user to {@code away} for the broker to decide (replicated).
     *
     * @return how many connections the envelope was queued on
     */
    int deliverOrStore(String user, Envelope e, List<String> storedFor, Set<String> away, Set<String> toLog) {
        AppSettings s = app;
        if (!s.syncEnabled()) {
            return sendTo(registry.connectionsOf(user), e);
        }
        synchronized (lock(user)) {
            Message m = e.message();
            // Logged whether or not the user is connected: presence never decides what is kept.
            boolean logged = resumeOffered && m.sync() && m.opcode() == Message.DISPATCH;
            Set<ConnectionImpl> connections = registry.connectionsOf(user);
            int n;
            UserLog l = log;
            if (logged && l != null) {
                n = sendNumbered(connections, e, l.append(user, e.frame()));
            } else if (logged) {
                // The shared log numbers it first; resuming connections get it then (deliverNumbered).
                toLog.add(user);
                n = sendToMesa1(connections, e);
            } else {
                n = sendTo(connections, e);
            }
            if (!connections.isEmpty()) {
                return n;
            }
            if (broker.replicated()) {
                away.add(user);
                return 0;
            }
            if (m.sync() && m.opcode() == Message.DISPATCH) {
                int dropped = broker.syncStore().append(user, m, s.syncMaxMessages());
                if (dropped > 0) {
                    LOG.warning(() -> "Mesa dropped the oldest " + dropped + " stored message(s) of a user who is away: "
                            + "mesa.sync.max-messages (" + s.syncMaxMessages() + ") reached");
                }
                storedFor.add(user);
            }
            return 0;
        }
    }

    /** Resuming connections get the frame with the user's sequence, built once; the others get it as is. */
    private static int sendNumbered(Set<ConnectionImpl> connections, Envelope e, long seq) {
        String numbered = null;
        int n = 0;
        for (ConnectionImpl c : connections) {
            if (c.resumes()) {
                if (numbered == null) {
                    numbered = Frames.withSequence(e.frame(), seq);
                }
                c.sendSequenced(numbered, seq);
                n++;
            } else {
                n += c.deliver(e);
            }
        }
        return n;
    }

    private static int sendToMesa1(Set<ConnectionImpl> connections, Envelope e) {
        int n = 0;
        for (ConnectionImpl c : connections) {
            if (!c.resumes()) {
                n += c.deliver(e);
            }
        }
        return n;
    }

    /**
     * Delivers an envelope the shared log numbered, to the recipients' connections here: resuming ones
     * get it with its {@code s}; with {@code everyone}, the others too (it came from another instance).
     */
    int deliverNumbered(Envelope e, boolean everyone) {
        int n = 0;
        for (var entry : e.sequences().entrySet()) {
            String user = entry.getKey();
            synchronized (lock(user)) {
                waits.answered(user, e.frame());
                Set<ConnectionImpl> connections = registry.connectionsOf(user);
                n += everyone ? sendNumbered(connections, e, entry.getValue()) : sendNumberedOnly(connections, e, entry.getValue());
            }
        }
        return n;
    }

    /**
     * Delivers a message Node Mesa published without logging it: Mesa 1.x connections get it now, resuming
     * ones get the numbered copy the logging instance publishes ({@link #deliverNumbered}), or this original
     * if none comes in time.
     *
     * @return how many connections the envelope was queued on now
     */
    int deliverAwaitingLog(String user, Envelope e) {
        synchronized (lock(user)) {
            Set<ConnectionImpl> connections = registry.connectionsOf(user);
            if (connections.stream().anyMatch(ConnectionImpl::resumes)) {
                waits.add(user, e, nowMillis());
                timer.after(LogWaits.WAIT_MILLIS + 1, () -> expireWaits(user));
            }
            return sendToMesa1(connections, e);
        }
    }

    private void expireWaits(String user) {
        synchronized (lock(user)) {
            waits.expire(user, nowMillis(), e -> {
                for (ConnectionImpl c : registry.connectionsOf(user)) {
                    if (c.resumes()) {
                        c.deliver(e);
                    }
                }
                long now = nowMillis();
                if (now - lastWaitWarning > 60_000) {
                    lastWaitWarning = now;
                    LOG.warning("Mesa delivered a message Node Mesa published to resuming clients unnumbered: no instance "
                            + "logged it within " + LogWaits.WAIT_MILLIS + " ms (the logging instance stopped, or Redis "
                            + "failed); such messages cannot be replayed. Logged at most once a minute.");
                }
            });
        }
    }

    private static long nowMillis() {
        return System.nanoTime() / 1_000_000;
    }

    private static int sendNumberedOnly(Set<ConnectionImpl> connections, Envelope e, long seq) {
        String numbered = Frames.withSequence(e.frame(), seq);
        int n = 0;
        for (ConnectionImpl c : connections) {
            if (c.resumes()) {
                c.sendSequenced(numbered, seq);
                n++;
            }
        }
        return n;
    }

    private static int sendTo(Set<ConnectionImpl> connections, Envelope e) {
        int n = 0;
        for (ConnectionImpl c : connections) {
            n += c.deliver(e);
        }
        return n;
    }

    /**
     * Binds an authenticated connection to its user and, with sync on, hands it
     * what was stored (or discards it when the client asked for no sync).
     */
    void authenticated(ConnectionImpl c, String previous, String user, boolean shouldSync, Duration interval,
                       Resume resume) {
        if (!user.equals(previous)) {
            if (previous != null) {
                broker.userUnbound(previous);
            }
            broker.userBound(user);
        }
        if (resume != null && resumeOffered) {
            resumed(c, previous, user, resume, log);
            return;
        }
        if (!app.syncEnabled()) {
            registry.bind(c, previous, user);
            return;
        }
        SyncStore store = broker.syncStore();
        synchronized (lock(user)) {
            registry.bind(c, previous, user);
            if (!shouldSync) {
                store.discard(user);
                return;
            }
            // In memory the store answers here, under the lock, so live messages for this user can only
            // come after the stored ones; a networked store answers later, from its own thread.
            store.take(user, pending -> redeliver(c, user, pending, interval));
        }
    }

    /**
     * Binds a resuming connection and sends it the resume header and the entries after the client's
     * position, then live messages: the connection holds numbered live frames until the replay is out
     * and drops any it already sent, so the client sees no gap and no duplicate. In memory this all
     * happens under the user's lock. With Redis, what Node Mesa stored in Mesa 1.x's store for the user
     * is logged first (a resuming client takes the store as a Mesa 1.x client would).
     */
    private void resumed(ConnectionImpl c, String previous, String user, Resume resume, UserLog l) {
        synchronized (lock(user)) {
            c.resuming();
            registry.bind(c, previous, user);
            if (l != null) {
                c.replayed(l.read(user, resume.epoch(), resume.seq()));
                return;
            }
        }
        broker.readLogOnResume(user, resume.epoch(), resume.seq(), c::replayed);
    }

    /** Runs {@code task} on the shared timer after {@code millis}. */
    void later(long millis, Runnable task) {
        timer.after(millis, task);
    }

    /** Reads the user's log after {@code after} to fill a connection's gap; {@code then} gets null if it cannot. */
    void fill(String user, String epoch, long after, Consumer<Replay> then) {
        UserLog l = log;
        if (l != null) {
            synchronized (lock(user)) {
                then.accept(l.read(user, epoch, after));
            }
        } else if (resumeOffered) {
            broker.readLog(user, epoch, after, then);
        } else {
            then.accept(null);
        }
    }

    /** A resuming client processed everything up to {@code seq}: the log lets it go. */
    void acknowledged(String user, long seq) {
        UserLog l = log;
        if (l != null) {
            synchronized (lock(user)) {
                l.acknowledge(user, seq);
            }
        } else if (resumeOffered) {
            broker.acknowledge(user, seq);
        }
    }

    private void redeliver(ConnectionImpl c, String user, List<Message> pending, Duration interval) {
        if (pending.isEmpty()) {
            return;
        }
        if (!c.isOpen()) {
            broker.syncStore().putBack(user, pending);
            return;
        }
        if (interval.isZero()) {
            for (int i = 0; i < pending.size(); i++) {
                c.sendFrame(codec.encode(pending.get(i), i + 1));
            }
        } else {
            redeliverPaced(c, user, pending, 0, interval.toMillis());
        }
        if (events.wanted(MessagesRedelivered.class)) {
            events.fire(new MessagesRedelivered(c, List.copyOf(pending)));
        }
    }

    private void redeliverPaced(ConnectionImpl c, String user, List<Message> pending, int index, long intervalMillis) {
        timer.after(index == 0 ? 0 : intervalMillis, () -> {
            if (!c.isOpen()) {
                // Cut short: what was not sent waits for the next authentication.
                broker.syncStore().putBack(user, pending.subList(index, pending.size()));
                return;
            }
            c.sendFrame(codec.encode(pending.get(index), index + 1));
            if (index + 1 < pending.size()) {
                redeliverPaced(c, user, pending, index + 1, intervalMillis);
            }
        });
    }
}
