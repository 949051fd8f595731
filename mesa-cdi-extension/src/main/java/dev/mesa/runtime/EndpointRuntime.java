package dev.mesa.runtime;

/**
 * One deployed {@code @MesaEndpoint}, as the transport binding sees it.
 */
public interface EndpointRuntime {

    /** @return the path, such as {@code /chat} */
    String path();

    /** @return the endpoint's transport limits */
    Limits limits();

    /**
     * Opens the engine side of a new client connection: sends hello and starts
     * the connection's timers.
     *
     * @param transport the connection's transport
     * @return where the binding reports what happens on the connection
     */
    InboundHandler open(Transport transport);
}
