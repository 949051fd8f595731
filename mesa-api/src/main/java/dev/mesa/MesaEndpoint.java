package dev.mesa;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Stereotype;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Declares a CDI bean as a Mesa WebSocket endpoint served at {@link #value()}.
 *
 * <p>The annotation is a bean-defining stereotype (application scoped), so a WAR
 * needs no {@code beans.xml}. The bean's handler methods are annotated with
 * {@link OnConnect}, {@link OnMessage}, {@link OnAuthenticate}, {@link OnDisconnect}
 * and {@link OnError}; all are optional.
 *
 * <pre>{@code
 * @MesaEndpoint("/chat")
 * public class Chat {
 *     @OnAuthenticate
 *     Identity login(Credentials credentials) { ... }
 *
 *     @OnMessage("SEND")
 *     void send(Connection from, ChatLine line) { ... }
 * }
 * }</pre>
 *
 * <p>Configuration keys under {@code mesa.*} apply to every endpoint; the same key
 * under {@code mesa.endpoint.<name>.*} overrides it for the endpoint whose
 * {@link #name()} is {@code <name>} (see {@link MesaConfigKeys}).
 */
@Stereotype
@ApplicationScoped
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface MesaEndpoint {

    /**
     * The path, relative to the web application's context root, that clients
     * connect to, such as {@code "/chat"}. Must start with {@code /}; path
     * templates are not supported.
     *
     * @return the endpoint path
     */
    String value();

    /**
     * The name that selects per-endpoint configuration ({@code mesa.endpoint.<name>.*}).
     * Defaults to the path without its leading slash, with every character other
     * than letters, digits and {@code -} replaced by {@code -} ({@code "/chat/v1"} becomes {@code "chat-v1"}).
     *
     * @return the endpoint name, or empty for the default
     */
    String name() default "";
}
