package dev.mesa.runtime;

import java.util.concurrent.CompletionStage;
import java.util.concurrent.CompletableFuture;
import java.util.Set;
import java.util.function.Consumer;

/** The single-instance broker: every recipient is local, so there is nobody to tell. */
final class InMemoryBroker implements Broker {

    private final SyncStore store = new InMemorySyncStore();

    @Override
    public void start(Consumer<Envelope> fromOtherInstances, Consumer<Envelope> numberedHere) {
    }

    @Override
    public CompletionStage<Void> publish(Envelope envelope, Set<String> away, Set<String> toLog) {
        return CompletableFuture.completedFuture(null);
    }

    /** A single instance keeps its resume log in {@link SyncService}, in memory. */
    @Override
    public boolean logs() {
        return false;
    }

    @Override
    public void readLog(String user, String epoch, long after, Consumer<Replay> then) {
        throw new UnsupportedOperationException("the in-memory broker keeps no log");
    }

    @Override
    public void acknowledge(String user, long seq) {
        throw new UnsupportedOperationException("the in-memory broker keeps no log");
    }

    @Override
    public boolean replicated() {
        return false;
    }

    @Override
    public void connectionOpened() {
    }

    @Override
    public void connectionClosed() {
    }

    @Override
    public void userBound(String user) {
    }

    @Override
    public void userUnbound(String user) {
    }

    @Override
    public SyncStore syncStore() {
        return store;
    }

    @Override
    public void stop() {
    }
}
