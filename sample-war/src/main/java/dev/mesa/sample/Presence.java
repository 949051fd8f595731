package dev.mesa.sample;

import dev.mesa.Connection;
import dev.mesa.Dispatcher;
import dev.mesa.Mesa;
import dev.mesa.Message;
import dev.mesa.event.Authenticated;
import dev.mesa.sample.Payloads.PresenceList;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Who is online on this server instance, by connection (a user may have several tabs open).
 * Every change is pushed to everyone as {@code PRESENCE {users}}; clients can also ask with {@code WHO}.
 *
 * <p>Per instance: with several instances behind a load balancer each one knows only its own users.
 */
@ApplicationScoped
public class Presence {

    private final ConcurrentMap<String, ChatUser> byConnection = new ConcurrentHashMap<>();

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

    /** @return the users online, one entry per user id, sorted by name */
    public List<ChatUser> online() {
        Map<String, ChatUser> byId = new LinkedHashMap<>();
        byConnection.values().forEach(u -> byId.putIfAbsent(u.id(), u));
        return byId.values().stream()
                .sorted(Comparator.comparing(ChatUser::name, String.CASE_INSENSITIVE_ORDER).thenComparing(ChatUser::id))
                .toList();
    }

    /** @return the {@code PRESENCE} payload */
    public PresenceList snapshot() {
        return new PresenceList(online());
    }

    private void publish() {
        mesa.send(Message.transientOf("PRESENCE", snapshot()), List.of(Dispatcher.EVERYONE));
    }
}
