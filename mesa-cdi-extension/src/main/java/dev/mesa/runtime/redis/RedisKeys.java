package dev.mesa.runtime.redis;

import java.util.List;

/**
 * Mesa 1.x's Redis names ({@code <name>} becomes {@code <name>_<namespace>} with
 * a namespace, exactly as Node Mesa writes them), and ours, hash-tagged on
 * {@code connected_clients}' own name so that Cluster keeps every presence key
 * in one slot and one script can update them together.
 */
record RedisKeys(String channel, String connectedClients, String connectedClientsCount, String undeliveredMessages,
                 String connectionsPerUser, String instances, String tag, String logPrefix) {

    static RedisKeys of(String namespace) {
        String connected = name("connected_clients", namespace);
        String tag = "{" + connected + "}:mesa-";
        return new RedisKeys(name("ws", namespace), connected, name("connected_clients_count", namespace),
                name("undelivered_messages", namespace), tag + "connections", tag + "instances", tag,
                "{" + name("mesa", namespace) + ":");
    }

    /** The KEYS of the log scripts for one user: the stream and its meta hash, in the user's slot. */
    List<String> log(String user) {
        String base = logPrefix + user + "}:";
        return List.of(base + "log", base + "meta");
    }

    /**
     * Our channel for messages Node Mesa published unlogged, published again by the instance that logged
     * them, numbered: Node Mesa does not subscribe to it, so its clients do not get them twice.
     */
    String logged() {
        return channel + ":mesa-logged";
    }

    /** The lease naming the one instance that logs Node Mesa's publications. */
    String logger() {
        return tag + "logger";
    }

    String instance(String id) {
        return tag + "instance:" + id;
    }

    String alive(String id) {
        return tag + "alive:" + id;
    }

    /** The KEYS of the presence scripts, for one instance. */
    List<String> presence(String id) {
        return List.of(connectionsPerUser, connectedClients, instance(id), instances, alive(id));
    }

    private static String name(String prefix, String namespace) {
        return namespace == null || namespace.isEmpty() ? prefix : prefix + "_" + namespace;
    }
}
