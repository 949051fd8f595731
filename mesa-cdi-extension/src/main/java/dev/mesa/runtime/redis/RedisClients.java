package dev.mesa.runtime.redis;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.RedisClusterClient;
import redis.clients.jedis.RedisSentinelClient;
import redis.clients.jedis.UnifiedJedis;

import dev.mesa.runtime.RedisSettings;

/** Builds the Jedis 8 client for standalone, Sentinel or Cluster Redis. */
final class RedisClients {

    private RedisClients() {
    }

    static UnifiedJedis create(RedisSettings s) {
        int timeout = (int) Math.min(Integer.MAX_VALUE, s.timeout().toMillis());
        DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder()
                .connectionTimeoutMillis(timeout)
                .socketTimeoutMillis(timeout)
                .clientName("mesa")
                // RESP2 is what every Redis speaks; negotiating RESP3 only adds a warning on older servers.
                .resp2();
        if (s.uri() != null) {
            URI uri = s.uri();
            String userInfo = uri.getRawUserInfo();
            if (userInfo != null) {
                int colon = userInfo.indexOf(':');
                String user = colon < 0 ? null : decode(userInfo.substring(0, colon));
                String password = decode(colon < 0 ? userInfo : userInfo.substring(colon + 1));
                if (user != null && !user.isEmpty()) {
                    config.user(user);
                }
                config.password(password);
            }
            String path = uri.getPath();
            if (path != null && path.length() > 1) {
                config.database(Integer.parseInt(path.substring(1)));
            }
            config.ssl("rediss".equals(uri.getScheme()));
            int port = uri.getPort() == -1 ? 6379 : uri.getPort();
            return RedisClient.builder().hostAndPort(uri.getHost(), port).clientConfig(config.build()).build();
        }
        if (s.user() != null) {
            config.user(s.user());
        }
        if (s.password() != null) {
            config.password(s.password());
        }
        config.ssl(s.ssl());
        if (s.sentinelMaster() != null) {
            return RedisSentinelClient.builder()
                    .masterName(s.sentinelMaster())
                    .sentinels(hosts(s.sentinelNodes()))
                    .clientConfig(config.build())
                    .sentinelClientConfig(DefaultJedisClientConfig.builder()
                            .connectionTimeoutMillis(timeout).socketTimeoutMillis(timeout).resp2().build())
                    .build();
        }
        return RedisClusterClient.builder().nodes(hosts(s.clusterNodes())).clientConfig(config.build()).build();
    }

    private static Set<HostAndPort> hosts(List<String> nodes) {
        Set<HostAndPort> set = new LinkedHashSet<>();
        for (String n : nodes) {
            set.add(HostAndPort.from(n));
        }
        return set;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
