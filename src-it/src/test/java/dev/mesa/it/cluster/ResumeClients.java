package dev.mesa.it.cluster;

import java.util.ArrayList;
import java.util.List;

/** The resume clients a test opened, so that they are all closed after it. */
final class ResumeClients {

    private final List<ResumeClient> clients = new ArrayList<>();

    ResumeClient client(String name, String user, int ackEvery) {
        ResumeClient c = new ResumeClient(name, user, ackEvery);
        clients.add(c);
        return c;
    }

    void close() {
        clients.forEach(ResumeClient::close);
        clients.clear();
    }
}
