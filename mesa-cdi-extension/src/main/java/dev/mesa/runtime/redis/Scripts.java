package dev.mesa.runtime.redis;

/**
 * The Lua scripts: each read-modify-write on shared state happens inside Redis,
 * atomically, where Node Mesa 1.x reads, changes and writes back (and so loses
 * one of two concurrent updates).
 */
final class Scripts {

    private Scripts() {
    }

    /*
     * Presence keys, all hash-tagged {connected_clients[_ns]} so that Cluster keeps them in one slot:
     * KEYS[1] connections per user (hash), KEYS[2] connected_clients (set), KEYS[3] this instance's own
     * contributions (hash: user -> connections, '#connections' -> open connections), KEYS[4] live instances
     * (set), KEYS[5] the instance's alive key (expires unless refreshed).
     */

    /** ARGV: user. One more connection of the user here. */
    static final String USER_BOUND = """
            redis.call('HINCRBY', KEYS[1], ARGV[1], 1)
            redis.call('SADD', KEYS[2], ARGV[1])
            redis.call('HINCRBY', KEYS[3], ARGV[1], 1)
            return 1
            """;

    /**
     * ARGV: user. One less; the user leaves connected_clients with their last connection on any instance.
     * Nothing happens when this instance's record no longer counts the user (a sweep withdrew it already).
     */
    static final String USER_UNBOUND = """
            local here = redis.call('HINCRBY', KEYS[3], ARGV[1], -1)
            if here <= 0 then
              redis.call('HDEL', KEYS[3], ARGV[1])
            end
            if here < 0 then
              return -1
            end
            local n = redis.call('HINCRBY', KEYS[1], ARGV[1], -1)
            if n <= 0 then
              redis.call('HDEL', KEYS[1], ARGV[1])
              redis.call('SREM', KEYS[2], ARGV[1])
            end
            return n
            """;

    /** ARGV: delta. This instance's open connections, for withdrawing them later. */
    static final String CONNECTIONS = """
            return redis.call('HINCRBY', KEYS[3], '#connections', ARGV[1])
            """;

    /**
     * ARGV: instance id. Subtracts everything the instance recorded and forgets it; returns how many
     * connections it had, for the caller to take off connected_clients_count (another slot in Cluster).
     */
    static final String WITHDRAW = """
            local entries = redis.call('HGETALL', KEYS[3])
            local connections = 0
            for i = 1, #entries, 2 do
              local user, count = entries[i], tonumber(entries[i + 1])
              if user == '#connections' then
                connections = count
              elseif count > 0 then
                local n = redis.call('HINCRBY', KEYS[1], user, -count)
                if n <= 0 then
                  redis.call('HDEL', KEYS[1], user)
                  redis.call('SREM', KEYS[2], user)
                end
              end
            end
            redis.call('DEL', KEYS[3])
            redis.call('DEL', KEYS[5])
            redis.call('SREM', KEYS[4], ARGV[1])
            return connections
            """;

    /** ARGV: instance id, alive ttl in ms, open connections, then user, count pairs. Records this instance afresh. */
    static final String REGISTER = """
            redis.call('SADD', KEYS[4], ARGV[1])
            redis.call('SET', KEYS[5], '1', 'PX', ARGV[2])
            redis.call('HSET', KEYS[3], '#connections', ARGV[3])
            for i = 4, #ARGV, 2 do
              local user, count = ARGV[i], tonumber(ARGV[i + 1])
              redis.call('HSET', KEYS[3], user, count)
              redis.call('HINCRBY', KEYS[1], user, count)
              redis.call('SADD', KEYS[2], user)
            end
            return 1
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

    /**
     * KEYS: undelivered_messages hash. ARGV: user, the value as it was read. Removes those messages, and
     * only those: what was appended since stays (a taker that came first leaves nothing to remove).
     */
    static final String REMOVE_READ = """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if not v then return 0 end
            if v == ARGV[2] then
              redis.call('HDEL', KEYS[1], ARGV[1])
              return 1
            end
            local head = string.sub(ARGV[2], 1, -2)
            if string.sub(v, 1, #head) == head and string.sub(v, #head + 1, #head + 1) == ',' then
              redis.call('HSET', KEYS[1], ARGV[1], '[' .. string.sub(v, #head + 2))
              return 1
            end
            return 0
            """;

    /** KEYS: undelivered_messages hash. ARGV: user. Reads and removes in one step. */
    static final String TAKE = """
            local v = redis.call('HGET', KEYS[1], ARGV[1])
            if v then
              redis.call('HDEL', KEYS[1], ARGV[1])
            end
            return v
            """;

    /**
     * Takes or keeps a lease: KEYS the lease; ARGV this instance, the lease's time to live in ms.
     * Returns 1 when this instance holds it.
     */
    static final String LEASE = """
            local holder = redis.call('GET', KEYS[1])
            if holder == ARGV[1] then
              redis.call('PEXPIRE', KEYS[1], ARGV[2])
              return 1
            end
            if not holder then
              redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
              return 1
            end
            return 0
            """;

    /** Gives a lease up if this instance holds it: KEYS the lease; ARGV this instance. */
    static final String RELEASE = """
            if redis.call('GET', KEYS[1]) == ARGV[1] then
              redis.call('DEL', KEYS[1])
            end
            return 0
            """;

    /*
     * The resume log of one user: KEYS[1] a stream of entries with ids "<seq>-1" (fields f: frame,
     * t: ms when logged), KEYS[2] a hash with the log's epoch and head. Hash-tagged on the user, so one
     * Cluster slot. Meta that is created afresh means the old log is gone: a new epoch, an empty stream.
     */

    /** ARGV: epoch if new, frame, now ms, most entries, retention ms. Returns the message's sequence. */
    static final String LOG_APPEND = """
            if redis.call('HSETNX', KEYS[2], 'epoch', ARGV[1]) == 1 then
              redis.call('DEL', KEYS[1])
            end
            local seq = redis.call('HINCRBY', KEYS[2], 'head', 1)
            redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[4], seq .. '-1', 'f', ARGV[2], 't', ARGV[3])
            redis.call('PEXPIRE', KEYS[1], ARGV[5])
            redis.call('PEXPIRE', KEYS[2], ARGV[5])
            return seq
            """;

    /**
     * ARGV: epoch if new, the client's epoch ('' for none), the client's position, now ms, retention ms.
     * Drops entries older than retention, then returns {epoch, from, reset (1/0), seq, frame, seq, frame...}.
     */
    static final String LOG_READ = """
            if redis.call('HSETNX', KEYS[2], 'epoch', ARGV[1]) == 1 then
              redis.call('DEL', KEYS[1])
              redis.call('PEXPIRE', KEYS[2], ARGV[5])
            end
            local epoch = redis.call('HGET', KEYS[2], 'epoch')
            local head = tonumber(redis.call('HGET', KEYS[2], 'head') or '0')
            local cutoff = tonumber(ARGV[4]) - tonumber(ARGV[5])
            while true do
              local batch = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 100)
              if #batch == 0 then break end
              local young = false
              for _, e in ipairs(batch) do
                local t = 0
                for i = 1, #e[2], 2 do
                  if e[2][i] == 't' then t = tonumber(e[2][i + 1]) end
                end
                if t < cutoff then
                  redis.call('XDEL', KEYS[1], e[1])
                else
                  young = true
                  break
                end
              end
              if young then break end
            end
            local first = head + 1
            local oldest = redis.call('XRANGE', KEYS[1], '-', '+', 'COUNT', 1)
            if #oldest > 0 then first = tonumber(string.match(oldest[1][1], '^(%d+)')) end
            local after = tonumber(ARGV[3])
            if (ARGV[2] ~= epoch and after ~= 0) or after > head or after < first - 1 then
              return {epoch, tostring(head), '1'}
            end
            local out = {epoch, tostring(after), '0'}
            for _, e in ipairs(redis.call('XRANGE', KEYS[1], '(' .. after .. '-1', '+')) do
              local f = ''
              for i = 1, #e[2], 2 do
                if e[2][i] == 'f' then f = e[2][i + 1] end
              end
              table.insert(out, string.match(e[1], '^(%d+)'))
              table.insert(out, f)
            end
            return out
            """;

    /** KEYS: the log. ARGV: the first sequence to keep. */
    static final String LOG_ACK = """
            redis.call('XTRIM', KEYS[1], 'MINID', ARGV[1] .. '-0')
            return 1
            """;
}
