package dev.mesa.websocket;

import jakarta.websocket.server.ServerEndpointConfig;

import dev.mesa.runtime.EndpointRuntime;

/**
 * Creates one endpoint object per connection, bound to its Mesa endpoint, and
 * checks explicit origin allowlists (same-origin checks need the Host header,
 * so {@link OriginFilter} does those before the handshake reaches us).
 */
final class MesaConfigurator extends ServerEndpointConfig.Configurator {

    private final EndpointRuntime runtime;

    MesaConfigurator(EndpointRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public boolean checkOrigin(String originHeaderValue) {
        return Origins.allowed(runtime.limits(), originHeaderValue, null);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getEndpointInstance(Class<T> endpointClass) {
        return (T) new MesaWebSocketEndpoint(runtime);
    }
}
