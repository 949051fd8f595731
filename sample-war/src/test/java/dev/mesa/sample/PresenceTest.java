package dev.mesa.sample;

import dev.mesa.Connection;
import dev.mesa.Dispatcher;
import dev.mesa.Mesa;
import dev.mesa.Message;
import dev.mesa.event.Authenticated;
import dev.mesa.sample.Payloads.PresenceList;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class PresenceTest {

    private final ChatUser ann = new ChatUser("ann", "Ann");
    private final ChatUser bob = new ChatUser("bob", "bob");

    /** What a {@link Mesa} was asked to send. */
    private record Sent(Message message, Collection<String> ids) {
    }

    private static Presence presence(List<Sent> sent) {
        Presence presence = new Presence();
        presence.mesa = new Mesa() {
            @Override
            public void send(Message message) {
                throw new AssertionError("PRESENCE goes to authenticated users only");
            }

            @Override
            public void send(Message message, Collection<String> ids, Collection<String> excluding) {
                sent.add(new Sent(message, List.copyOf(ids)));
            }

            @Override
            public int connectionCount() {
                return 0;
            }
        };
        return presence;
    }

    private static Connection connection(String id, ChatUser user) {
        Map<String, Object> answers = Map.of("connectionId", id, "endpointPath", ChatEndpoint.PATH,
                "userId", Optional.of(user.id()), "user", user, "isOpen", true, "isAuthenticated", true);
        return (Connection) Proxy.newProxyInstance(PresenceTest.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (!answers.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return answers.get(method.getName());
                });
    }

    private static PresenceList last(List<Sent> sent) {
        Sent s = sent.get(sent.size() - 1);
        assertEquals("PRESENCE", s.message().type());
        assertFalse(s.message().sync(), "PRESENCE is transient");
        assertEquals(List.of(Dispatcher.EVERYONE), s.ids());
        return (PresenceList) s.message().data();
    }

    @Test
    void presenceCarriesTheInstanceAndItsUsers() {
        assertEquals(List.of("instance", "users"),
                Arrays.stream(PresenceList.class.getRecordComponents()).map(RecordComponent::getName).toList(),
                "the JSON-B shape of PRESENCE: {instance, users}");

        List<Sent> sent = new ArrayList<>();
        Presence presence = presence(sent);
        Connection bob1 = connection("c1", bob);
        presence.joined(new Authenticated(bob1));
        presence.joined(new Authenticated(connection("c2", ann)));
        presence.joined(new Authenticated(connection("c3", bob)));   // a second tab

        assertEquals(3, sent.size(), "pushed on every join");
        PresenceList list = last(sent);
        assertEquals(presence.instance(), list.instance());
        assertEquals(List.of(ann, bob), list.users(), "one entry per user, sorted by name");
        assertEquals(list, presence.snapshot(), "WHO answers with the same snapshot");

        presence.left(bob1);
        assertEquals(List.of(ann, bob), last(sent).users(), "bob still has a tab open");

        presence.publish();   // the periodic push
        assertEquals(new PresenceList(presence.instance(), List.of(ann, bob)), last(sent));

        assertNotEquals(presence.instance(), presence(new ArrayList<>()).instance(), "each instance has its own id");
    }

    @Test
    void shutdownPushesAnEmptySnapshotAndThenNothing() {
        List<Sent> sent = new ArrayList<>();
        Presence presence = presence(sent);
        Connection c1 = connection("c1", ann);
        presence.joined(new Authenticated(c1));

        presence.shutdown();
        assertEquals(new PresenceList(presence.instance(), List.of()), last(sent));

        int before = sent.size();
        presence.publish();
        presence.left(c1);
        presence.shutdown();
        assertEquals(before, sent.size(), "nothing is pushed after the empty snapshot");
    }
}
