package dev.mesa.websocket;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.logging.Logger;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpointConfig;

import dev.mesa.runtime.EndpointRuntime;
import dev.mesa.runtime.Limits;
import dev.mesa.runtime.MesaExtension;

/**
 * Registers the application's Mesa endpoints with the WebSocket container when
 * the web application starts (CDI is up by then, so the validated endpoints
 * are known).
 */
public final class MesaInitializer implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger("dev.mesa");
    private static final String SERVER_CONTAINER = "jakarta.websocket.server.ServerContainer";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext ctx) throws ServletException {
        MesaExtension extension;
        try {
            extension = CDI.current().getBeanManager().getExtension(MesaExtension.class);
        } catch (RuntimeException e) {
            LOG.warning("Mesa is on the class path of " + ctx.getContextPath()
                    + " but CDI is not available; enable the cdi-4.0 feature. No Mesa endpoint is served.");
            return;
        }
        List<EndpointRuntime> endpoints = extension.runtime().endpoints();
        if (endpoints.isEmpty()) {
            return;
        }
        if (!(ctx.getAttribute(SERVER_CONTAINER) instanceof ServerContainer container)) {
            throw new ServletException("Mesa needs a Jakarta WebSocket container: enable the websocket-2.1 feature");
        }
        Map<String, Limits> limitsByPath = new LinkedHashMap<>();
        for (EndpointRuntime endpoint : endpoints) {
            try {
                container.addEndpoint(ServerEndpointConfig.Builder.create(MesaWebSocketEndpoint.class, endpoint.path())
                        .configurator(new MesaConfigurator(endpoint))
                        .build());
            } catch (DeploymentException e) {
                throw new ServletException("Mesa cannot register its endpoint at " + endpoint.path() + ": " + e.getMessage(), e);
            }
            limitsByPath.put(endpoint.path(), endpoint.limits());
        }
        ctx.addListener(new ServletContextListener() {
            @Override
            public void contextDestroyed(ServletContextEvent event) {
                Writers.stop();
            }
        });
        FilterRegistration.Dynamic filter = ctx.addFilter("mesa-origin-check", new OriginFilter(limitsByPath));
        if (filter != null) {
            filter.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, limitsByPath.keySet().toArray(String[]::new));
            filter.setAsyncSupported(true);
        }
    }
}
