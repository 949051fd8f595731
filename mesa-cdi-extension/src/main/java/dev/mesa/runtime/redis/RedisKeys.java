package dev.mesa.runtime.redis;

/**
 * Mesa 1.x's Redis names: {@code <name>} becomes {@code <name>_<namespace>}
 * with a namespace, exactly as Node Mesa writes them.
 */
record RedisKeys(String channel, String connectedClients, String connectedClientsCount, String undeliveredMessages,
                 String connectionsPerUser) {

    static RedisKeys of(String namespace) {
        String connected = name("connected_clients", namespace);
        return new RedisKeys(name("ws", namespace), connected, name("connected_clients_count", namespace),
                name("undelivered_messages", namespace),
                // Hash-tagged on connected_clients' own name: both live in one Cluster slot, so one script updates both.
                "{" + connected + "}:mesa-connections");
    }

    private static String name(String prefix, String namespace) {
        return namespace == null || namespace.isEmpty() ? prefix : prefix + "_" + namespace;
    }
}
