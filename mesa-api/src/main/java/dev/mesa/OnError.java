package dev.mesa;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of a {@link MesaEndpoint} bean called when a handler method
 * of that endpoint threw, or the transport reported an error. The connection
 * stays open unless the error closed it.
 *
 * <p>Parameters, in any order, each at most once: {@link Connection},
 * {@link Throwable}. Return type: {@code void}. At most one per endpoint.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnError {
}
