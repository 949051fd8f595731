package dev.mesa.it;

import dev.mesa.it.client.WsClient;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static dev.mesa.it.Deployments.ws;
import static dev.mesa.it.TestApps.SYNC;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** In-memory message sync (mesa.sync.enabled=true): offline users get synced messages on their next authentication. */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class SyncIT {

    @Deployment(testable = false)
    static WebArchive war() {
        return TestApps.sync();
    }

    private final Clients clients = new Clients();
    private WsClient driver;

    @BeforeEach
    void connectDriver() {
        driver = clients.authenticated(ws(SYNC, "/sync"), "driver");
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    private void sendTo(String id, String payload, boolean transientMessage) {
        JsonObject req = Json.createObjectBuilder()
                .add("ids", Json.createArrayBuilder().add(id))
                .add("type", "X")
                .add("payload", J.value(payload))
                .add("transient", transientMessage)
                .build();
        driver.dispatch("SEND", req);
        assertEquals(SendIT.frame("SENT", "{'type':'X'}"), driver.next());
    }

    static JsonObject synced(String payload, int s) {
        return Json.createObjectBuilder(SendIT.frame("X", payload)).add("s", s).build();
    }

    private WsClient login(String id, boolean shouldSync) {
        WsClient c = clients.connected(ws(SYNC, "/sync"));
        c.authenticate("u:" + id, shouldSync);
        assertEquals(J.obj("{'op':22,'d':{'id':'" + id + "','name':'User " + id + "'}}"), c.next(),
                "op 22 comes before redelivered messages");
        return c;
    }

    @Test
    void messagesToAnOfflineUserAreRedeliveredInOrderWithSequenceNumbers() {
        sendTo("bob", "{'n':1}", false);
        sendTo("bob", "{'n':2}", false);
        sendTo("bob", "{'n':3}", true); // transientOf: never stored
        sendTo("bob", "{'n':4}", false);

        WsClient bob = login("bob", true);
        assertEquals(synced("{'n':1}", 1), bob.next());
        assertEquals(synced("{'n':2}", 2), bob.next());
        assertEquals(synced("{'n':4}", 3), bob.next());
        bob.echoRoundTrip("after-sync");
        assertEquals(6, bob.frames().size(), "hello, 22, three synced, echo: " + bob.frames());

        // delivered once: the store is empty afterwards
        bob.close();
        WsClient again = login("bob", true);
        again.echoRoundTrip("nothing-twice");
    }

    private WsClient resume(String id, String epoch, int s) {
        WsClient c = clients.connected(ws(SYNC, "/sync"));
        c.send(J.obj("{'op':2,'d':{'token':'u:" + id + "','resume':{'epoch':" + (epoch == null ? "null" : "'" + epoch + "'")
                + ",'s':" + s + "}}}"));
        assertEquals(22, c.next().getInt("op"));
        return c;
    }

    /** The resume extension (docs/resume.md) end to end on Liberty: numbered live messages, gap-free replay. */
    @Test
    void resumingClientsGetNumberedMessagesAndExactlyWhatFollowsTheirPosition() {
        WsClient first = resume("rita", null, 0);
        JsonObject header = first.next();
        assertEquals(23, header.getInt("op"));
        assertEquals(false, header.getJsonObject("d").getBoolean("reset"), "position 0, nothing dropped: served");
        assertEquals(0, header.getJsonObject("d").getInt("s"));
        String epoch = header.getJsonObject("d").getString("epoch");
        sendTo("rita", "{'n':1}", false);
        assertEquals(synced("{'n':1}", 1), first.next(), "live, with the user's sequence");
        first.close();

        sendTo("rita", "{'n':2}", false);
        sendTo("rita", "{'n':3}", true); // transient: not logged
        sendTo("rita", "{'n':4}", false);
        WsClient again = resume("rita", epoch, 1);
        assertEquals(J.obj("{'op':23,'d':{'epoch':'" + epoch + "','s':1,'reset':false}}"), again.next());
        assertEquals(synced("{'n':2}", 2), again.next());
        assertEquals(synced("{'n':4}", 3), again.next());
        again.echoRoundTrip("no-more");
    }

    @Test
    void shouldSyncFalseDiscardsStoredMessages() {
        sendTo("dave", "{'n':1}", false);
        sendTo("dave", "{'n':2}", false);

        WsClient dave = login("dave", false);
        dave.echoRoundTrip("discarded");
        dave.close();

        WsClient again = login("dave", true);
        again.echoRoundTrip("still-nothing");
    }

    @Test
    void transientMessagesAreNeverStored() {
        sendTo("tina", "{'typing':true}", true);
        sendTo("tina", "{'typing':false}", true);
        WsClient tina = login("tina", true);
        tina.echoRoundTrip("no-transient");
    }

    @Test
    void onlineUsersGetLiveMessagesWithoutSequenceAndNothingIsStored() {
        WsClient erin = login("erin", true);
        erin.echoRoundTrip("erin-online");
        sendTo("erin", "{'live':1}", false);
        assertEquals(SendIT.frame("X", "{'live':1}"), erin.next(), "live messages carry no s");
        erin.close();

        WsClient again = login("erin", true);
        again.echoRoundTrip("not-stored-for-online-user");
    }

    @Test
    void messagesForOneUserAreNotRedeliveredToAnother() {
        sendTo("frank", "{'for':'frank'}", false);
        WsClient gina = login("gina", true);
        gina.echoRoundTrip("gina-gets-nothing");
        WsClient frank = login("frank", true);
        assertEquals(synced("{'for':'frank'}", 1), frank.next());
        frank.echoRoundTrip("frank-done");
        assertEquals(List.of(), frank.unread());
    }
}
