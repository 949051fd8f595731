package dev.mesa.it.cluster;

import jakarta.json.JsonObject;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The delivery guarantee of the resume extension, checked on what a {@link ResumeClient} processed.
 *
 * <p>Every test message is {@code {"src": <stream>, "n": <counter>, …}} of one type; each stream is dispatched in
 * order by one sender through one instance's Dispatcher, so its counter order is the order the engine received
 * them in. A message is <em>accepted</em> when its REST call answered 200 {@code ok}; <em>uncertain</em> when the
 * call failed without an answer (it may or may not have been taken). The guarantee, per user:
 * <ol>
 *   <li>the processed stream has {@code s} = first, first+1, … with no gap and no repeat;</li>
 *   <li>it contains every accepted message exactly once, uncertain ones at most once, nothing else;</li>
 *   <li>per stream, counters strictly increase along {@code s};</li>
 *   <li>a duplicate frame (dropped by the client) only ever repeats a message not yet acknowledged;</li>
 *   <li>no op 23 said {@code reset: true}, and no resume answered another position than the one asked for;</li>
 *   <li>no message of the test type arrived unnumbered.</li>
 * </ol>
 */
final class DeliveryCheck {

    /** One message a test dispatched. */
    record Sent(String src, int n) {
        static Sent of(JsonObject d) {
            return new Sent(d.getString("src", "?"), d.getInt("n", -1));
        }

        @Override
        public String toString() {
            return src + "#" + n;
        }
    }

    private DeliveryCheck() {
    }

    /**
     * Asserts the guarantee for {@code client}: see the class comment.
     *
     * @param firstS the s of the first message the client must process (1 for a user new to the log)
     */
    static void assertDelivered(String label, ResumeClient client, String type, Collection<Sent> accepted,
                                Collection<Sent> uncertain, long firstS) {
        List<String> problems = new ArrayList<>();
        List<ResumeClient.Delivery> processed = client.processed();

        // 1. s strictly increasing, consecutive, from firstS
        long expect = firstS;
        for (ResumeClient.Delivery d : processed) {
            if (d.s() != expect) {
                problems.add("processed s=" + d.s() + " where s=" + expect + " was due (position " + (expect - firstS) + ")");
                break;
            }
            expect++;
        }

        // 2. exactly once
        Map<Sent, Integer> seen = new LinkedHashMap<>();
        List<String> foreign = new ArrayList<>();
        for (ResumeClient.Delivery d : processed) {
            if (!type.equals(d.type())) {
                foreign.add("s=" + d.s() + " t=" + d.type());
                continue;
            }
            seen.merge(Sent.of(d.d()), 1, Integer::sum);
        }
        Set<Sent> acceptedSet = new LinkedHashSet<>(accepted);
        Set<Sent> uncertainSet = new LinkedHashSet<>(uncertain);
        List<Sent> missing = acceptedSet.stream().filter(s -> !seen.containsKey(s)).toList();
        List<String> repeated = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(e -> e.getKey() + "×" + e.getValue()).toList();
        List<Sent> unexpected = seen.keySet().stream().filter(s -> !acceptedSet.contains(s) && !uncertainSet.contains(s)).toList();
        if (!missing.isEmpty()) {
            problems.add(missing.size() + " accepted message(s) never processed: " + head(missing));
        }
        if (!repeated.isEmpty()) {
            problems.add("processed more than once: " + head(repeated));
        }
        if (!unexpected.isEmpty()) {
            problems.add("processed but never dispatched: " + head(unexpected));
        }
        if (!foreign.isEmpty()) {
            problems.add("numbered messages of another type: " + head(foreign));
        }

        // 3. per stream order
        Map<String, ResumeClient.Delivery> previous = new HashMap<>();
        List<String> disorder = new ArrayList<>();
        for (ResumeClient.Delivery d : processed) {
            if (!type.equals(d.type())) {
                continue;
            }
            Sent s = Sent.of(d.d());
            ResumeClient.Delivery p = previous.put(s.src(), d);
            if (p != null && Sent.of(p.d()).n() >= s.n()) {
                disorder.add(Sent.of(p.d()) + "@s=" + p.s() + " before " + s + "@s=" + d.s());
            }
        }
        if (!disorder.isEmpty()) {
            problems.add("out of order within a stream: " + head(disorder));
        }

        // 4. duplicates only of unacknowledged messages
        List<String> badDuplicates = client.duplicates().stream().filter(d -> d.s() <= d.acked())
                .map(d -> "s=" + d.s() + " on #" + d.connection() + " after the client had acknowledged " + d.acked()).toList();
        if (!badDuplicates.isEmpty()) {
            problems.add("duplicates of acknowledged messages: " + head(badDuplicates));
        }

        // 5. every resume served from where the client asked
        for (ResumeClient.Header h : client.headers()) {
            if (h.reset()) {
                problems.add("op 23 reset on connection #" + h.connection() + " to " + h.uri() + ": " + h);
            } else if (h.s() != h.askedS()) {
                problems.add("op 23 continues from s=" + h.s() + " but the client asked for s=" + h.askedS() + ": " + h);
            } else if (h.askedEpoch() != null && !h.askedEpoch().equals(h.epoch())) {
                problems.add("op 23 with another epoch and no reset: " + h);
            }
        }

        // 6. nothing of ours unnumbered
        List<String> plain = client.unnumbered().stream().filter(f -> f.contains("\"t\":\"" + type + "\"")).toList();
        if (!plain.isEmpty()) {
            problems.add(plain.size() + " message(s) of type " + type + " arrived without s: " + head(plain));
        }
        if (client.failure() != null) {
            problems.add("client failure: " + client.failure());
        }

        String summary = label + ": " + accepted.size() + " accepted, " + uncertain.size() + " uncertain; processed "
                + processed.size() + " (s " + (processed.isEmpty() ? "-" : processed.get(0).s() + ".." + processed.get(processed.size() - 1).s())
                + ") over " + client.connections() + " connection(s), " + client.gaps().size() + " gap(s) detected, "
                + client.duplicates().size() + " duplicate(s) dropped, last ack " + client.acked();
        if (!problems.isEmpty()) {
            throw new AssertionError(summary + "\nVIOLATIONS:\n - " + String.join("\n - ", problems) + "\n" + client.describe());
        }
        System.out.println("[resume] OK " + summary + "; op 23: " + client.headers());
    }

    private static String head(List<?> l) {
        return l.size() <= 25 ? l.toString() : l.subList(0, 25) + " … (" + l.size() + " in all)";
    }
}
