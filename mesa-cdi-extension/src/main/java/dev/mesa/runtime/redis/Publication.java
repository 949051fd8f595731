package dev.mesa.runtime.redis;

import java.util.Locale;
import java.util.Set;

import dev.mesa.runtime.Envelope;
import dev.mesa.runtime.Envelope.Audience;
import dev.mesa.runtime.Frames;

/**
 * Writes Mesa 1.x's pub/sub payload, {@code {"message":{op,d,t},"recipients":[...]}},
 * plus a {@code "mesa"} member Node Mesa ignores: which instance sent it (so
 * that instance skips its own), the exact audience, exclusions, which Mesa
 * 1.x's payload cannot carry, and each logged recipient's sequence (resume extension). Uses no JSON library, so the standalone
 * Dispatcher needs none.
 */
final class Publication {

    private Publication() {
    }

    /**
     * The member that marks a message we stored in Mesa 1.x's store as already in the user's resume log.
     * Node Mesa keeps only op, d and t of a stored message, so the mark is ours alone.
     */
    static final String LOGGED_MARK = "mesa";

    /** @return the stored form of a frame that is in the user's resume log already */
    static String storedLogged(String frame) {
        return frame.substring(0, frame.length() - 1) + ",\"" + LOGGED_MARK + "\":\"logged\"}";
    }

    /**
     * @return how every payload {@code origin} publishes begins: the {@code mesa} member comes first so that
     *         an instance recognises its own publications without parsing them
     */
    static String originPrefix(String origin) {
        StringBuilder sb = new StringBuilder(origin.length() + 24).append("{\"mesa\":{\"origin\":");
        Frames.quote(origin, sb);
        return sb.toString();
    }

    /** @return the payload; the envelope's frame is embedded as is, not serialised again */
    static String encode(Envelope e, String origin) {
        StringBuilder sb = new StringBuilder(e.frame().length() + 128).append(originPrefix(origin));
        sb.append(",\"audience\":\"").append(e.audience().name().toLowerCase(Locale.ROOT)).append('"');
        if (!e.excluding().isEmpty()) {
            sb.append(",\"excluding\":[");
            strings(e.excluding(), sb);
            sb.append(']');
        }
        if (!e.sequences().isEmpty()) {
            sb.append(",\"seq\":{");
            boolean first = true;
            for (var entry : e.sequences().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                Frames.quote(entry.getKey(), sb);
                sb.append(':').append(entry.getValue());
                first = false;
            }
            sb.append('}');
        }
        sb.append("},\"message\":").append(e.frame()).append(",\"recipients\":[");
        if (e.audience() == Audience.USERS) {
            strings(e.users(), sb);
        } else {
            sb.append("\"*\"");
        }
        return sb.append("]}").toString();
    }

    private static void strings(Set<String> values, StringBuilder sb) {
        boolean first = true;
        for (String v : values) {
            if (!first) {
                sb.append(',');
            }
            Frames.quote(v, sb);
            first = false;
        }
    }
}
