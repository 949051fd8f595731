package dev.mesa.runtime.redis;

/**
 * The Lua scripts: each read-modify-write on shared state happens inside Redis,
 * atomically, where Node Mesa 1.x reads, changes and writes back (and so loses
 * one of two concurrent updates).
 */
final class Scripts {

    private Scripts() {
    }

    /** KEYS: connections-per-user hash, connected_clients set. ARGV: user. A user counts once per connection. */
    static final String USER_BOUND = """
            redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
            redis.call('SADD', KEYS[2], ARGV[1])
            return 1
            """;

    /** KEYS: as {@link #USER_BOUND}. The user leaves connected_clients with their last connection on any instance. */
    static final String USER_UNBOUND = """
            local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
            if n <= 0 then
              redis.call('HDEL', KEYS[1], ARGV[1])
              redis.call('SREM', KEYS[2], ARGV[1])
            end
            return n
            """;

    /**
     * KEYS: undelivered_messages hash. ARGV: user, one message as JSON. Appends to the user's JSON array
     * by text, so payloads are never decoded and re-encoded (Lua's cjson would turn [] into {}).
     */
    static final String APPEND = """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if (not v) or v == '' or v == '[]' then
              v = '[' .. ARGV[2] .. ']'
            else
              v = string.sub(v, 1, -2) .. ',' .. ARGV[2] .. ']'
            end
            redis.call('HSET', KEYS[1], ARGV[1], v)
            return 1
            """;

    /** KEYS: undelivered_messages hash. ARGV: user, messages as JSON separated by commas, to go first. */
    static final String PUT_BACK = """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if (not v) or v == '' or v == '[]' then
              v = '[' .. ARGV[2] .. ']'
            else
              v = '[' .. ARGV[2] .. ',' .. string.sub(v, 2)
            end
            redis.call('HSET', KEYS[1], ARGV[1], v)
            return 1
            """;

    /** KEYS: undelivered_messages hash. ARGV: user. Reads and removes in one step. */
    static final String TAKE = """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if v then
              redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return v
            """;
}
