package dev.mesa.sample;

import dev.mesa.Connection;
import dev.mesa.Dispatcher;
import dev.mesa.Mesa;
import dev.mesa.Message;
import dev.mesa.event.Authenticated;
import dev.mesa.sample.Payloads.PresenceList;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Who is online on this server instance, by connection (a user may have several tabs open).
 *
 * <p>Each instance has a random id and pushes its own users to everyone as
 * {@code PRESENCE {instance, users}}: on every change, every {@value #REFRESH_SECONDS} s
 * ({@link Announcer#refreshPresence()}), and with no users when it shuts down. With several instances
 * on one Redis, every page therefore hears from every instance; it shows the union and forgets an
 * instance it has not heard from for {@value #FORGET_AFTER_SECONDS} s (one that crashed).
 * Clients can also ask with {@code WHO}, which this instance answers with its own snapshot.
 */
@ApplicationScoped
public class Presence {

    /** How often each instance pushes its snapshot even when nothing changed; keep in step with the schedule. */
    public static final int REFRESH_SECONDS = 10;
    /** After how long without a snapshot a page forgets an instance ({@code webapp/app.js}); > 2 refreshes. */
    public static final int FORGET_AFTER_SECONDS = 25;

    private final String instance = UUID.randomUUID().toString();
    private final ConcurrentMap<String, ChatUser> byConnection = new ConcurrentHashMap<>();
    private volatile boolean stopped;

    @Inject
    Mesa mesa;

    /** Mesa fires {@link Authenticated} after it queued op 22, so the new user receives the list too. */
    void joined(@Observes Authenticated event) {
        Connection connection = event.connection();
        if (!ChatEndpoint.PATH.equals(connection.endpointPath())) {
            return;
        }
        ChatUser user = ChatEndpoint.userOf(connection);
        if (user != null && connection.isOpen()) {
            byConnection.put(connection.connectionId(), user);
            publish();
        }
    }

    void left(Connection connection) {
        if (byConnection.remove(connection.connectionId()) != null) {
            publish();
        }
    }

    /** @return this server instance's random id, the {@code instance} of its {@code PRESENCE} */
    public String instance() {
        return instance;
    }

    /** @return the users online on this instance, one entry per user id, sorted by name */
    public List<ChatUser> online() {
        Map<String, ChatUser> byId = new LinkedHashMap<>();
        byConnection.values().forEach(u -> byId.putIfAbsent(u.id(), u));
        return byId.values().stream()
                .sorted(Comparator.comparing(ChatUser::name, String.CASE_INSENSITIVE_ORDER).thenComparing(ChatUser::id))
                .toList();
    }

    /** @return the {@code PRESENCE} payload: this instance's users */
    public PresenceList snapshot() {
        return new PresenceList(instance, online());
    }

    /**
     * Pushes this instance's snapshot to everyone, on every instance. Synchronized so that two snapshots
     * (a change and the periodic push) leave in the order they were taken. Does nothing after shutdown.
     */
    public synchronized void publish() {
        if (!stopped) {
            send(snapshot());
        }
    }

    /** On shutdown: an empty list, so that the pages drop this instance's users at once. */
    @PreDestroy
    synchronized void shutdown() {
        if (stopped) {
            return;
        }
        stopped = true;
        try {
            send(new PresenceList(instance, List.of()));
        } catch (RuntimeException e) {
            // Mesa may be stopping too; the pages forget this instance after FORGET_AFTER_SECONDS anyway.
        }
    }

    private void send(PresenceList list) {
        mesa.send(Message.transientOf("PRESENCE", list), List.of(Dispatcher.EVERYONE));
    }
}
