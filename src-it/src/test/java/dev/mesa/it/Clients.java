package dev.mesa.it;

import dev.mesa.it.client.WsClient;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Opens test clients and closes every one of them after each test. */
public final class Clients implements AutoCloseable {

    private final List<WsClient> open = new ArrayList<>();

    public WsClient connect(URI uri) {
        return track(WsClient.connect(uri));
    }

    public WsClient connect(URI uri, Map<String, String> headers) {
        return track(WsClient.connect(uri, headers));
    }

    /** Connects and consumes the hello. */
    public WsClient connected(URI uri) {
        WsClient c = connect(uri);
        c.hello();
        return c;
    }

    /** Connects, consumes the hello, authenticates as {@code id} and consumes op 22. */
    public WsClient authenticated(URI uri, String id) {
        WsClient c = connected(uri);
        c.authenticate("u:" + id, true);
        int op = c.next().getInt("op", -1);
        if (op != 22) {
            throw new AssertionError("expected op 22 for " + id + ", frames " + c.frames());
        }
        return c;
    }

    public synchronized WsClient track(WsClient c) {
        open.add(c);
        return c;
    }

    @Override
    public synchronized void close() {
        open.forEach(WsClient::close);
        open.clear();
    }
}
