package dev.mesa;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method of a {@link MesaEndpoint} bean that handles application
 * messages (op 0) received from clients.
 *
 * <p>{@link #value()} selects the message type ({@code t}); a handler with the
 * default empty value receives every message no typed handler claims. At most
 * one handler per type, and one catch-all, per endpoint.
 *
 * <p>Parameters, in any order, each at most once:
 * <ul>
 *   <li>{@link Connection}: the sender;</li>
 *   <li>{@link Message}: the whole message;</li>
 *   <li>any other type: the payload {@code d}, bound with JSON-B
 *       ({@code jakarta.json.JsonValue} and its subtypes, {@code String},
 *       boxed primitives, records, POJOs, {@code Map}, {@code List}).</li>
 * </ul>
 * A payload that cannot be bound to the parameter type is reported to
 * {@link OnError} and the message is dropped; the connection stays open.
 *
 * <p>Return type: {@code void}, or {@link Message} to answer the sender
 * ({@code null} sends nothing).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnMessage {

    /**
     * The message type {@code t} this method handles; empty for every
     * message without a more specific handler.
     *
     * @return the message type
     */
    String value() default "";
}
