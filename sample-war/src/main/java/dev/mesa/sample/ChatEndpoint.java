package dev.mesa.sample;

import dev.mesa.AuthenticationException;
import dev.mesa.Connection;
import dev.mesa.Dispatcher;
import dev.mesa.Identity;
import dev.mesa.Mesa;
import dev.mesa.MesaEndpoint;
import dev.mesa.Message;
import dev.mesa.OnAuthenticate;
import dev.mesa.OnDisconnect;
import dev.mesa.OnError;
import dev.mesa.OnMessage;
import dev.mesa.sample.Payloads.ChatLine;
import dev.mesa.sample.Payloads.DirectMessage;
import dev.mesa.sample.Payloads.Problem;
import dev.mesa.sample.Payloads.Typing;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The chat endpoint, {@code ws://host/chat}.
 *
 * <p>Client → server messages (op 0):
 * <ul>
 *   <li>{@code CHAT {text}}: a line for everyone, sent back to everyone as {@code CHAT {id, from, name, text, at}};</li>
 *   <li>{@code DM {to, text}}: a direct message, sent to {@code to} and to the sender's own connections as
 *       {@code DM {id, from, name, to, text, at}}; stored and redelivered if {@code to} is offline;</li>
 *   <li>{@code TYPING {to?}}: a typing indicator for the others (never stored);</li>
 *   <li>{@code WHO {}}: answered with {@code PRESENCE {instance, users}}, this instance's users (each instance
 *       also pushes its own to everyone, see {@link Presence}).</li>
 * </ul>
 * Bad input is answered with {@code ERROR {code, message, type}}; the connection stays open.
 */
@MesaEndpoint(ChatEndpoint.PATH)
public class ChatEndpoint {

    static final String PATH = "/chat";
    /** Longest chat line or direct message, in code points. */
    static final int MAX_TEXT_LENGTH = 1000;
    /** Messages one connection may send per {@link #RATE_WINDOW_MILLIS}. */
    static final int RATE_LIMIT = 30;
    static final long RATE_WINDOW_MILLIS = 10_000;

    private static final Logger LOG = Logger.getLogger(ChatEndpoint.class.getName());
    private static final List<String> EVERYONE = List.of(Dispatcher.EVERYONE);

    @Inject
    TokenService tokens;

    @Inject
    Mesa mesa;

    @Inject
    Presence presence;

    /** op 2 {@code {"token": "...", "shouldSync": true}}: a token from {@code POST /api/login}. */
    @OnAuthenticate
    Identity authenticate(JsonObject credentials) {
        JsonValue token = credentials == null ? null : credentials.get("token");
        if (!(token instanceof JsonString t)) {
            throw new AuthenticationException("no token in the credentials");
        }
        ChatUser user = tokens.verify(t.getString());
        return new Identity(user.id(), user);
    }

    @OnMessage("CHAT")
    void chat(Connection from, JsonValue data) {
        ChatUser me = sender(from, "CHAT");
        String text = me == null ? null : text(from, data, "CHAT");
        if (text == null) {
            return;
        }
        mesa.send(Message.of("CHAT", new ChatLine(newId(), me.id(), me.name(), text, now())), EVERYONE);
    }

    @OnMessage("DM")
    void direct(Connection from, JsonValue data) {
        ChatUser me = sender(from, "DM");
        String to = me == null ? null : recipient(from, data, "DM", true);
        String text = to == null ? null : text(from, data, "DM");
        if (text == null) {
            return;
        }
        if (to.equals(me.id())) {
            refuse(from, "DM", "BAD_RECIPIENT", "Pick someone else to send a direct message to.");
            return;
        }
        // Synced: if the recipient is offline, Mesa keeps it and redelivers it when they next sign in.
        mesa.send(Message.of("DM", new DirectMessage(newId(), me.id(), me.name(), to, text, now())), List.of(to, me.id()));
    }

    @OnMessage("TYPING")
    void typing(Connection from, JsonValue data) {
        ChatUser me = sender(from, "TYPING");
        if (me == null) {
            return;
        }
        String to = null;
        if (data instanceof JsonObject o && o.containsKey("to") && o.get("to") != JsonValue.NULL) {
            to = recipient(from, data, "TYPING", false);
            if (to == null) {
                return;
            }
        } else if (!(data == null || data == JsonValue.NULL || data instanceof JsonObject)) {
            refuse(from, "TYPING", "BAD_REQUEST", "TYPING takes an object: {} or {\"to\": userId}.");
            return;
        }
        // Transient (sync:false): a stale "is typing" is never stored for someone offline.
        Message message = Message.transientOf("TYPING", new Typing(me.id(), me.name(), to));
        mesa.send(message, to == null ? EVERYONE : List.of(to), Set.of(me.id()));
    }

    @OnMessage("WHO")
    Message who(Connection from) {
        return sender(from, "WHO") == null ? null : Message.transientOf("PRESENCE", presence.snapshot());
    }

    /** Every other message type. */
    @OnMessage
    void unknown(Connection from, Message message) {
        refuse(from, message.type(), "UNKNOWN_TYPE", "Unknown message type; use CHAT, DM, TYPING or WHO.");
    }

    @OnDisconnect
    void disconnected(Connection connection) {
        presence.left(connection);
    }

    @OnError
    void failed(Connection connection, Throwable error) {
        LOG.log(Level.WARNING, "chat: error on connection " + (connection == null ? "?" : connection.connectionId()), error);
        if (connection != null && connection.isOpen()) {
            connection.send(Message.transientOf("ERROR", new Problem("BAD_REQUEST", "That message could not be processed.", null)));
        }
    }

    /** The user of a connection, from the {@link Identity} returned by {@link #authenticate}. */
    static ChatUser userOf(Connection connection) {
        if (connection.user() instanceof ChatUser user) {
            return user;
        }
        return connection.userId().map(id -> new ChatUser(id, id)).orElse(null);
    }

    /** The authenticated, non-flooding sender, or null after answering with ERROR. */
    private ChatUser sender(Connection from, String type) {
        ChatUser me = userOf(from);
        if (me == null) {
            refuse(from, type, "NOT_AUTHENTICATED", "Sign in first.");
            return null;
        }
        RateLimit limit = (RateLimit) from.attributes().computeIfAbsent(RateLimit.class.getName(), k -> new RateLimit());
        if (!limit.tryAcquire(System.currentTimeMillis())) {
            refuse(from, type, "RATE_LIMITED", "Slow down: at most " + RATE_LIMIT + " messages in "
                    + RATE_WINDOW_MILLIS / 1000 + " seconds.");
            return null;
        }
        return me;
    }

    /** The non-empty {@code text} of an object payload, trimmed, or null after answering with ERROR. */
    private String text(Connection from, JsonValue data, String type) {
        if (!(data instanceof JsonObject o) || !(o.get("text") instanceof JsonString s)) {
            refuse(from, type, "BAD_REQUEST", type + " needs a \"text\" string.");
            return null;
        }
        String text = s.getString().strip();
        if (text.isEmpty()) {
            refuse(from, type, "EMPTY", "Say something.");
            return null;
        }
        if (text.codePointCount(0, text.length()) > MAX_TEXT_LENGTH) {
            refuse(from, type, "TOO_LONG", "A message has at most " + MAX_TEXT_LENGTH + " characters.");
            return null;
        }
        return text;
    }

    /** The {@code to} user id of an object payload, or null after answering with ERROR. */
    private String recipient(Connection from, JsonValue data, String type, boolean required) {
        JsonValue to = data instanceof JsonObject o ? o.get("to") : null;
        if (to instanceof JsonString s && Names.isUserId(s.getString())) {
            return s.getString();
        }
        refuse(from, type, "BAD_RECIPIENT", required || to != null
                ? type + " needs \"to\": the id of a user." : type + " needs an object payload.");
        return null;
    }

    private static void refuse(Connection to, String type, String code, String message) {
        to.send(Message.transientOf("ERROR", new Problem(code, message, type)));
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /** A fixed-window counter per connection; connections are used from one thread at a time, but be safe. */
    static final class RateLimit {
        private long windowStart;
        private int count;

        synchronized boolean tryAcquire(long nowMillis) {
            if (nowMillis - windowStart >= RATE_WINDOW_MILLIS) {
                windowStart = nowMillis;
                count = 0;
            }
            return ++count <= RATE_LIMIT;
        }
    }
}
