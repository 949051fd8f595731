/**
 * Mesa on Redis: the broker that replicates messages between instances on
 * Mesa 1.x's channel and keys (so Node Mesa servers and Dispatchers can share
 * the Redis), and the standalone {@link dev.mesa.runtime.redis.StandaloneDispatcher}.
 * The only package that knows Redis exists.
 *
 * <p>{@code StandaloneDispatcher} is supported API for processes outside the
 * server (it needs these jars and Jedis, not Jakarta EE); everything else here
 * is internal, like the rest of {@code dev.mesa.runtime}.
 */
package dev.mesa.runtime.redis;
