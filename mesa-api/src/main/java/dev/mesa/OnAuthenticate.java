package dev.mesa;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the method of a {@link MesaEndpoint} bean that authenticates a client
 * when it sends op 2 (Mesa's {@code client.authenticate(credentials, options)}).
 *
 * <p>Parameters, in any order, each at most once: {@link Connection}, and the
 * credentials: the op 2 data {@code d} bound with JSON-B to the parameter's type
 * (a record or POJO with a {@code token} property, a {@code Map}, a
 * {@code jakarta.json.JsonObject}). Mesa clients merge their options into the
 * credentials, so {@code d} also carries {@code shouldSync}.
 *
 * <p>Return {@link Identity} (or a {@code CompletionStage<Identity>} that
 * completes with it) to accept the client. Throw {@link AuthenticationException},
 * return {@code null}, or complete the stage exceptionally to reject it: the
 * connection is then closed with 1008 unless
 * {@code mesa.authentication.disconnect-on-fail} is {@code false}.
 *
 * <p>At most one per endpoint; required on an endpoint where authentication is
 * required, and message sync needs at least one endpoint that has it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnAuthenticate {
}
