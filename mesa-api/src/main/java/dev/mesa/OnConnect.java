package dev.mesa;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of a {@link MesaEndpoint} bean called when a client has
 * connected, right after the server sent its hello (op 10).
 *
 * <p>Parameters: none, or one {@link Connection}. Return type: {@code void}.
 * At most one per endpoint.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnConnect {
}
