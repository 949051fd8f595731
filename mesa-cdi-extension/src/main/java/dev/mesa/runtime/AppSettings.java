package dev.mesa.runtime;

/**
 * The settings that hold for the whole application rather than one endpoint:
 * a user is one user across endpoints, so whether their messages are kept while
 * they are away cannot depend on the endpoint they come back through, and all
 * endpoints share one broker.
 *
 * @param redis where Redis is, or {@code null} for the single-instance in-memory broker
 */
record AppSettings(String namespace, boolean syncEnabled, boolean syncResume, int syncMaxMessages, java.time.Duration syncRetention,
                   boolean storeConnectedUsers, RedisSettings redis) {
}
