package dev.mesa.spi;

import dev.mesa.Connection;
import dev.mesa.Message;

/**
 * Middleware for inbound application messages (op 0): inspect, transform or veto
 * a message before the endpoint's {@code @OnMessage} handler and the
 * {@code MessageReceived} event see it.
 *
 * <p>Implement it as a CDI bean. Interceptors run in ascending order of their
 * {@code @jakarta.annotation.Priority} (no annotation counts as
 * {@code Priority 1000}), on the thread that received the message, for every
 * endpoint; call {@link Connection#endpointPath()} to act on some only.
 */
public interface MessageInterceptor {

    /**
     * Called for each inbound application message.
     *
     * @param connection the sender
     * @param message    the message as the previous interceptor left it
     * @return the message to go on with (the same, or a transformed copy such as
     *         {@link Message#withData(Object)}), or {@code null} to drop it
     *         silently. Throwing drops it too and reports the exception as a
     *         {@code MesaError}.
     */
    Message intercept(Connection connection, Message message);
}
