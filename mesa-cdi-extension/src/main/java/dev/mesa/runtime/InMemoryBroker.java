package dev.mesa.runtime;

import java.util.Set;
import java.util.function.Consumer;

/** The single-instance broker: every recipient is local, so there is nobody to tell. */
final class InMemoryBroker implements Broker {

    private final SyncStore store = new InMemorySyncStore();

    @Override
    public void start(Consumer<Envelope> fromOtherInstances) {
    }

    @Override
    public void publish(Envelope envelope, Set<String> away) {
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
