package dev.mesa.runtime;

import java.util.TreeMap;
import jakarta.json.JsonNumber;
import java.util.concurrent.CompletionException;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import dev.mesa.AuthenticationException;
import dev.mesa.CloseCodes;
import dev.mesa.CloseStatus;
import dev.mesa.Connection;
import dev.mesa.Identity;
import dev.mesa.Message;
import dev.mesa.event.Authenticated;
import dev.mesa.event.ConnectionClosed;
import dev.mesa.event.MessageReceived;

/**
 * The engine side of one client connection: Mesa's per-connection state machine
 * (hello → authenticate → heartbeats → messages → close).
 *
 * <p>Inbound calls arrive one at a time (the transport's guarantee). Frames that
 * arrive while an authentication is in progress wait in a small queue and are
 * handled, in order, once it has finished, so that a client's messages after
 * op 2 always see the outcome of op 2. Heartbeat state belongs to the timer thread.
 */
final class ConnectionImpl implements Connection, InboundHandler {

    private static final Logger LOG = Logger.getLogger("dev.mesa");
    private static final AtomicLong IDS = new AtomicLong();
    private static final String HEARTBEAT = "{\"op\":1,\"d\":{}}";
    private static final int MAX_DEFERRED = 64;
    static final String CLIENT_VERSION = "CLIENT_VERSION";

    private final String id = Long.toString(IDS.incrementAndGet(), 36);
    private final EndpointRuntimeImpl endpoint;
    private final Transport transport;
    private final long openedAt = System.nanoTime();
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile String userId;
    private volatile Object user;
    private volatile boolean authenticated;
    private volatile boolean resumes;

    // The resume stream: numbered frames leave in order, once; while a replay is read they wait here.
    private final Object sequenceLock = new Object();
    private static final long GAP_WAIT_MILLIS = 200;
    private long lastSequence;
    private boolean replaying;
    private boolean gapCheckPending;
    private int gapTries;
    private static final int MAX_GAP_TRIES = 3;
    private volatile String epoch;
    private final TreeMap<Long, String> held = new TreeMap<>();
    private volatile long lastInbound = openedAt;

    private volatile boolean heartbeatAnswered;
    private int heartbeatsSent;
    private int heartbeatMisses;
    private long nextHeartbeatAt;

    private final Object authLock = new Object();
    private int authenticationsInProgress;
    private boolean draining;
    private final ArrayDeque<String> deferred = new ArrayDeque<>();

    ConnectionImpl(EndpointRuntimeImpl endpoint, Transport transport) {
        this.endpoint = endpoint;
        this.transport = transport;
        this.nextHeartbeatAt = openedAt + endpoint.settings().heartbeatInterval().toNanos();
    }

    // ---- Connection ----------------------------------------------------------------------

    @Override
    public String connectionId() {
        return id;
    }

    @Override
    public String endpointPath() {
        return endpoint.path();
    }

    @Override
    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    String userIdOrNull() {
        return userId;
    }

    @Override
    public Object user() {
        return user;
    }

    @Override
    public boolean isAuthenticated() {
        return authenticated;
    }

    @Override
    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void send(Message message) {
        if (message.opcode() == Message.INTERNAL) {
            internal(message);
            return;
        }
        sendFrame(endpoint.codec().encode(message, 0));
    }

    @Override
    public void disconnect() {
        disconnect(CloseCodes.NORMAL, "");
    }

    @Override
    public void disconnect(int code, String reason) {
        transport.close(code, reason == null ? "" : reason);
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public String toString() {
        return "Connection[" + id + " " + endpoint.path() + (userId == null ? "" : " user=" + userId) + "]";
    }

    // ---- outbound -------------------------------------------------------------------------

    void sendFrame(String frame) {
        if (!closed.get()) {
            transport.send(frame);
        }
    }

    /** @return 1 when the envelope was queued on this connection */
    int deliver(Envelope e) {
        if (closed.get()) {
            return 0;
        }
        if (e.message().opcode() == Message.INTERNAL) {
            internal(e.message());
            return 0;
        }
        transport.send(e.frame());
        return 1;
    }

    /** Internal events (op 5) act on the connection; they are never sent to the client. */
    private void internal(Message m) {
        if ("DISCONNECT_CLIENT".equals(m.type())) {
            disconnect(CloseCodes.NORMAL, "");
        }
    }

    /** @return whether this connection speaks the resume extension: its targeted messages carry {@code s} */
    boolean resumes() {
        return resumes;
    }

    /** From now on targeted messages carry {@code s}; live ones wait until {@link #replayed} has run. */
    void resuming() {
        synchronized (sequenceLock) {
            resumes = true;
            replaying = true;
        }
    }

    /**
     * Sends numbered frames strictly in order of {@code s}, each once. Instances number a user's messages
     * in one log but deliver them through different paths (at once here, through pub/sub from elsewhere),
     * so {@code s} can arrive out of order: a frame ahead of the next expected one waits briefly, and a gap
     * that persists (a publication this instance missed) is filled from the log.
     */
    void sendSequenced(String frame, long seq) {
        synchronized (sequenceLock) {
            if (seq <= lastSequence) {
                return;
            }
            held.put(seq, frame);
            if (held.size() <= endpoint.settings().limits().outboundQueueSize()) {
                if (!replaying) {
                    flushInOrder();
                }
                return;
            }
            held.clear();
        }
        // Closed outside the lock: close callbacks (observers that send, say) must not run while it is held.
        violation(CloseCodes.SLOW_CONSUMER, "Too many numbered messages waiting for an earlier one");
    }

    /**
     * Sends the resume header and the replay, then what arrived live meanwhile, in order and once; without
     * a replay (the log could not be read) closes with 1013 so that the client resumes later.
     */
    void replayed(Replay replay) {
        if (replay == null) {
            synchronized (sequenceLock) {
                held.clear();
            }
            transport.close(CloseCodes.TRY_AGAIN_LATER, "Resume unavailable, reconnect later");
            return;
        }
        synchronized (sequenceLock) {
            StringBuilder header = new StringBuilder("{\"epoch\":");
            Frames.quote(replay.epoch(), header);
            header.append(",\"s\":").append(replay.from()).append(",\"reset\":").append(replay.reset()).append('}');
            sendFrame(Frames.frame(23, header.toString(), null, 0));
            epoch = replay.epoch();
            lastSequence = replay.from();
            replaying = false;
            for (Replay.Entry e : replay.entries()) {
                held.putIfAbsent(e.seq(), Frames.withSequence(e.frame(), e.seq()));
            }
            flushInOrder();
        }
    }

    /** Sends what is held from the next expected {@code s} on while contiguous; a remaining gap is checked later. */
    private void flushInOrder() {
        while (!held.isEmpty()) {
            long first = held.firstKey();
            if (first <= lastSequence) {
                held.pollFirstEntry();
            } else if (first == lastSequence + 1) {
                lastSequence = first;
                sendFrame(held.pollFirstEntry().getValue());
            } else {
                break;
            }
        }
        if (!held.isEmpty() && !gapCheckPending) {
            gapCheckPending = true;
            endpoint.sync().later(GAP_WAIT_MILLIS, this::gapCheck);
        }
    }

    /** A gap outlived the wait: read what is missing from the log. */
    private void gapCheck() {
        long after;
        synchronized (sequenceLock) {
            gapCheckPending = false;
            if (held.isEmpty() || replaying || closed.get()) {
                return;
            }
            after = lastSequence;
        }
        String user = userId;
        if (user != null) {
            endpoint.sync().fill(user, epoch, after, this::filled);
        }
    }

    /**
     * Merges what the log had with what is held. A gap the log cannot fill after a few tries (trimmed, or
     * the log was lost) is handed to the client: it gets what is held, sees the gap, and resumes.
     */
    private void filled(Replay replay) {
        synchronized (sequenceLock) {
            long before = lastSequence;
            if (replay != null && !replay.reset()) {
                for (Replay.Entry e : replay.entries()) {
                    if (e.seq() > lastSequence) {
                        held.putIfAbsent(e.seq(), Frames.withSequence(e.frame(), e.seq()));
                    }
                }
            }
            flushInOrder();
            gapTries = lastSequence > before ? 0 : gapTries + 1;
            if (!held.isEmpty() && (replay == null || replay.reset() || gapTries >= MAX_GAP_TRIES)) {
                for (var e : held.entrySet()) {
                    lastSequence = e.getKey();
                    sendFrame(e.getValue());
                }
                held.clear();
                gapTries = 0;
            }
        }
    }

    boolean requiresAuthentication() {
        return endpoint.settings().authenticationRequired();
    }

    // ---- inbound --------------------------------------------------------------------------

    @Override
    public void onText(String text) {
        lastInbound = System.nanoTime();
        synchronized (authLock) {
            if (authenticationsInProgress > 0 || draining) {
                if (deferred.size() >= MAX_DEFERRED) {
                    violation(CloseCodes.POLICY_VIOLATION, "Too many messages while authenticating");
                } else {
                    deferred.addLast(text);
                }
                return;
            }
        }
        handle(text);
    }

    private void handle(String text) {
        if (closed.get()) {
            return;
        }
        Inbound frame;
        try {
            frame = endpoint.codec().parse(text);
        } catch (InvalidFrameException e) {
            violation(e.closeCode(), e.getMessage());
            return;
        }
        switch (frame.op()) {
            case 11 -> heartbeatAnswered = true;
            case 2 -> authenticate(frame);
            case 0 -> message(frame);
            case 3 -> acknowledge(frame);
            default -> violation(CloseCodes.PROTOCOL_ERROR, "Unknown op " + frame.op());
        }
    }

    private void abort(int code, String reason) {
        LOG.fine(() -> "Mesa closes " + this + " with " + code + ": " + reason);
        transport.abort(code, reason);
    }

    /** A client broke the protocol: worth a line in the log (the reason, never the payload). */
    private void violation(int code, String reason) {
        LOG.info(() -> "Mesa closes " + this + " with " + code + ": " + reason);
        transport.abort(code, reason);
    }

    /** Op 3 {@code {"s": n}}: the resume extension's acknowledgement; meaningless (1002) otherwise. */
    private void acknowledge(Inbound frame) {
        if (!resumes) {
            violation(CloseCodes.PROTOCOL_ERROR, "Unknown op 3");
            return;
        }
        if (!(frame.data() instanceof JsonObject o) || !(o.get("s") instanceof JsonNumber n) || !n.isIntegral()
                || n.longValue() < 0) {
            violation(CloseCodes.INVALID_PAYLOAD, "op 3 needs {\"s\": a whole number}");
            return;
        }
        endpoint.sync().acknowledged(userId, n.longValue());
    }

    private void message(Inbound frame) {
        Settings settings = endpoint.settings();
        boolean unauthenticated = settings.authenticationRequired() && !authenticated;
        if (CLIENT_VERSION.equals(frame.type()) && (settings.enforceEqualVersions() || unauthenticated)) {
            // Part of the handshake, not an application message: checked when enforced, never refused early.
            String v = frame.data() instanceof JsonObject o && o.get("v") instanceof JsonString s ? s.getString() : null;
            if (settings.enforceEqualVersions() && !settings.clientVersion().equals(v)) {
                LOG.info(() -> "Mesa closes " + this + ": client version " + v + " is not " + settings.clientVersion());
                transport.close(CloseCodes.PROTOCOL_ERROR, "Client version mismatch");
            }
            return;
        }
        if (unauthenticated) {
            violation(CloseCodes.POLICY_VIOLATION, "Authentication required");
            return;
        }
        Message message = new Message(Message.DISPATCH, frame.data(), frame.type(), frame.sync());
        try {
            message = endpoint.interceptors().apply(this, message);
        } catch (RuntimeException e) {
            error(e);
            return;
        }
        if (message == null) {
            return;
        }
        if (endpoint.events().wanted(MessageReceived.class)) {
            endpoint.events().fire(new MessageReceived(this, message));
        }
        HandlerMethod handler = endpoint.model().messageHandler(message.type());
        if (handler == null) {
            LOG.fine(() -> "No @OnMessage handler on " + endpoint.path() + " for a message; dropped");
            return;
        }
        try {
            Object payload = handler.payloadType() == null ? null : payloadOf(message, handler);
            Object reply = handler.invoke(endpoint.bean(), new HandlerMethod.Call(this, message, payload, null, null));
            if (reply instanceof Message m) {
                send(m);
            }
        } catch (InvocationTargetException e) {
            error(e.getCause());
        } catch (RuntimeException e) {
            error(e);
        }
    }

    private Object payloadOf(Message message, HandlerMethod handler) {
        return endpoint.codec().bindData(message.data(), handler.payloadType());
    }

    // ---- authentication -------------------------------------------------------------------

    private void authenticate(Inbound frame) {
        HandlerMethod authenticator = endpoint.model().onAuthenticate();
        if (authenticator == null) {
            LOG.warning(() -> "A client sent op 2 to " + endpoint.path() + ", which has no @OnAuthenticate method; ignored");
            return;
        }
        boolean shouldSync = !(frame.data() instanceof JsonObject o && o.get("shouldSync") == JsonValue.FALSE);
        SyncService.Resume resume = null;
        if (!authenticated && endpoint.sync().resumeAvailable()
                && frame.data() instanceof JsonObject o && o.containsKey("resume")) {
            resume = resume(o.get("resume"));
            if (resume == null) {
                violation(CloseCodes.INVALID_PAYLOAD, "resume needs {\"epoch\": a string or null, \"s\": a whole number}");
                return;
            }
        }
        SyncService.Resume position = resume;
        synchronized (authLock) {
            authenticationsInProgress++;
        }
        CompletionStage<Identity> outcome;
        try {
            Object credentials = authenticator.payloadType() == null ? null
                    : endpoint.codec().bind(frame.data(), authenticator.payloadType());
            Object result = authenticator.invoke(endpoint.bean(),
                    new HandlerMethod.Call(this, null, credentials, null, null));
            outcome = asStage(result);
        } catch (InvocationTargetException e) {
            outcome = CompletableFuture.failedFuture(e.getCause());
        } catch (RuntimeException e) {
            outcome = CompletableFuture.failedFuture(e);
        }
        outcome.whenComplete((identity, failure) -> authenticated(identity, failure, shouldSync, position));
    }

    /** @return the client's position, or {@code null} when it is not one */
    private static SyncService.Resume resume(JsonValue value) {
        if (!(value instanceof JsonObject r) || !(r.get("s") instanceof JsonNumber s) || !s.isIntegral()
                || s.longValue() < 0) {
            return null;
        }
        JsonValue epoch = r.get("epoch");
        if (epoch instanceof JsonString e) {
            return new SyncService.Resume(e.getString(), s.longValue());
        }
        return epoch == null || epoch == JsonValue.NULL ? new SyncService.Resume(null, s.longValue()) : null;
    }

    @SuppressWarnings("unchecked")
    private static CompletionStage<Identity> asStage(Object result) {
        if (result instanceof CompletionStage<?> stage) {
            return (CompletionStage<Identity>) stage;
        }
        return CompletableFuture.completedFuture((Identity) result);
    }

    private void authenticated(Identity identity, Throwable failure, boolean shouldSync, SyncService.Resume resume) {
        try {
            if (closed.get()) {
                return;
            }
            if (failure != null || identity == null) {
                rejected(failure);
                return;
            }
            String previous = userId;
            user = identity.user();
            userId = identity.id();
            boolean first = !authenticated;
            if (first) {
                Settings settings = endpoint.settings();
                String body = settings.sendUserObject() ? endpoint.codec().body(identity.user()) : "{}";
                sendFrame(Frames.frame(22, body, null, 0));
            }
            authenticated = true;
            endpoint.sync().authenticated(this, previous, identity.id(), shouldSync, endpoint.settings().redeliveryInterval(),
                    first ? resume : null);
            if (endpoint.events().wanted(Authenticated.class)) {
                endpoint.events().fire(new Authenticated(this));
            }
        } catch (RuntimeException e) {
            error(e);
        } finally {
            finishAuthentication();
        }
    }

    private void rejected(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause != null && !(cause instanceof AuthenticationException)) {
            // Not a rejection but a bug in the authenticator: the application wants to hear about it.
            error(cause);
        }
        LOG.info(() -> "Mesa rejected authentication on " + this + ": "
                + (cause == null ? "the authenticator returned null" : cause.getMessage()));
        if (endpoint.settings().disconnectOnFail()) {
            transport.close(CloseCodes.POLICY_VIOLATION, "Authentication failed");
        }
    }

    private void finishAuthentication() {
        synchronized (authLock) {
            authenticationsInProgress--;
            if (authenticationsInProgress > 0 || draining || deferred.isEmpty()) {
                return;
            }
            draining = true;
        }
        for (;;) {
            String next;
            synchronized (authLock) {
                next = authenticationsInProgress > 0 ? null : deferred.pollFirst();
                if (next == null) {
                    draining = false;
                    return;
                }
            }
            handle(next);
        }
    }

    // ---- timers ---------------------------------------------------------------------------

    /** Called by the endpoint's tick on the timer thread. */
    void tick(long now) {
        if (closed.get()) {
            return;
        }
        Settings settings = endpoint.settings();
        if (!authenticated && settings.enforcesAuthenticationTimeout()
                && now - openedAt >= settings.authenticationTimeout().toNanos()) {
            abort(CloseCodes.POLICY_VIOLATION, "Authentication timeout");
            return;
        }
        long idle = settings.limits().idleTimeout().toNanos();
        if (idle > 0 && now - lastInbound >= idle) {
            abort(CloseCodes.IDLE_TIMEOUT, "Idle timeout");
            return;
        }
        if (settings.heartbeatEnabled() && now - nextHeartbeatAt >= 0) {
            long interval = settings.heartbeatInterval().toNanos();
            nextHeartbeatAt = Math.max(nextHeartbeatAt + interval, now + interval / 2);
            heartbeat(settings.heartbeatMaxAttempts());
        }
    }

    private void heartbeat(int maxAttempts) {
        if (heartbeatAnswered || heartbeatsSent == 0) {
            heartbeatAnswered = false;
            heartbeatMisses = 0;
            sendFrame(HEARTBEAT);
        } else {
            heartbeatMisses++;
            if (heartbeatMisses > maxAttempts) {
                abort(CloseCodes.HEARTBEAT_TIMEOUT, "Heartbeat timeout");
                return;
            }
            sendFrame("{\"op\":1,\"d\":{\"tries\":" + heartbeatMisses + ",\"max\":" + maxAttempts + "}}");
        }
        heartbeatsSent++;
    }

    // ---- close and errors -----------------------------------------------------------------

    @Override
    public void onClose(int code, String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        endpoint.closed(this);
        CloseStatus status = new CloseStatus(code, reason);
        if (endpoint.events().wanted(ConnectionClosed.class)) {
            endpoint.events().fire(new ConnectionClosed(this, status));
        }
        HandlerMethod h = endpoint.model().onDisconnect();
        if (h != null) {
            try {
                h.invoke(endpoint.bean(), new HandlerMethod.Call(this, null, null, status, null));
            } catch (InvocationTargetException e) {
                error(e.getCause());
            } catch (RuntimeException e) {
                error(e);
            }
        }
    }

    @Override
    public void onError(Throwable error) {
        error(error);
    }

    /** Reports a failure to the endpoint's {@code @OnError} and as a {@code MesaError}; never throws. */
    void error(Throwable error) {
        endpoint.error(this, error);
    }
}
