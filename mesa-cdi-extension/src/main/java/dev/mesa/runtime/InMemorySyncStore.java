package dev.mesa.runtime;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import dev.mesa.Message;

/** The single-instance sync store: lost when the server stops (documented). */
final class InMemorySyncStore implements SyncStore {

    private final ConcurrentHashMap<String, ArrayDeque<Message>> pending = new ConcurrentHashMap<>();

    @Override
    public int append(String user, Message message, int max) {
        int[] dropped = {0};
        pending.compute(user, (k, q) -> {
            ArrayDeque<Message> queue = q != null ? q : new ArrayDeque<>();
            queue.addLast(message);
            while (queue.size() > max) {
                queue.removeFirst();
                dropped[0]++;
            }
            return queue;
        });
        return dropped[0];
    }

    @Override
    public void putBack(String user, List<Message> messages) {
        pending.compute(user, (k, q) -> {
            ArrayDeque<Message> queue = q != null ? q : new ArrayDeque<>();
            for (int i = messages.size() - 1; i >= 0; i--) {
                queue.addFirst(messages.get(i));
            }
            return queue;
        });
    }

    @Override
    public void take(String user, Consumer<List<Message>> then) {
        ArrayDeque<Message> q = pending.remove(user);
        then.accept(q == null ? List.of() : new ArrayList<>(q));
    }

    @Override
    public void discard(String user) {
        pending.remove(user);
    }
}
