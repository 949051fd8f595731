package dev.mesa.runtime;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Where Redis is, validated: exactly one of a standalone URI, a Sentinel-managed
 * master, or Cluster nodes.
 *
 * @param uri            standalone server ({@code redis://} or {@code rediss://}, with credentials and database), or null
 * @param sentinelMaster the master name Sentinel knows, or null
 * @param sentinelNodes  Sentinel {@code host:port}s
 * @param clusterNodes   Cluster seed {@code host:port}s
 * @param user           ACL user for Sentinel/Cluster mode, or null
 * @param password       password for Sentinel/Cluster mode, or null
 * @param ssl            TLS for Sentinel/Cluster mode
 * @param timeout        connect and read timeout
 * @param presenceTtl    how long an instance counts as holding its users without refreshing that
 */
public record RedisSettings(URI uri, String sentinelMaster, List<String> sentinelNodes, List<String> clusterNodes,
                            String user, String password, boolean ssl, Duration timeout, Duration presenceTtl) {

    /** Copies the lists. */
    public RedisSettings {
        sentinelNodes = List.copyOf(sentinelNodes);
        clusterNodes = List.copyOf(clusterNodes);
    }

    @Override
    public String toString() {
        // Never print credentials.
        String where = uri != null ? uri.getScheme() + "://" + uri.getHost() + ":" + (uri.getPort() == -1 ? 6379 : uri.getPort())
                : sentinelMaster != null ? "sentinel master " + sentinelMaster + " via " + sentinelNodes
                : "cluster " + clusterNodes;
        return "Redis " + where;
    }
}
