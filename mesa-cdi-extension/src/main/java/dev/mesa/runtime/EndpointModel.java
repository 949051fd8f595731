package dev.mesa.runtime;

import java.util.Map;

import jakarta.enterprise.inject.spi.Bean;

/**
 * A discovered and validated {@code @MesaEndpoint}: its path, name and handlers.
 * Handlers that the bean does not declare are {@code null}.
 */
record EndpointModel(
        Bean<?> bean, String path, String name,
        HandlerMethod onConnect, HandlerMethod onDisconnect, HandlerMethod onError,
        HandlerMethod onAuthenticate, Map<String, HandlerMethod> onMessageByType, HandlerMethod onAnyMessage) {

    EndpointModel {
        onMessageByType = Map.copyOf(onMessageByType);
    }

    /** @return the handler for messages of this type, falling back to the catch-all; may be {@code null} */
    HandlerMethod messageHandler(String type) {
        HandlerMethod h = type == null ? null : onMessageByType.get(type);
        return h != null ? h : onAnyMessage;
    }
}
