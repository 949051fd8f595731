package dev.mesa.runtime;

import java.util.Map;

import org.eclipse.microprofile.config.spi.ConfigProviderResolver;
import org.jboss.weld.environment.se.Weld;
import org.jboss.weld.environment.se.WeldContainer;

import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;

/**
 * Deploys endpoint classes with Mesa's extension in a real CDI container (Weld SE)
 * with a real MicroProfile Config (SmallRye) holding exactly the given properties.
 */
final class Deployment implements AutoCloseable {

    private final WeldContainer container;
    private final MesaExtension extension;

    private Deployment(WeldContainer container, MesaExtension extension) {
        this.container = container;
        this.extension = extension;
    }

    /** @throws jakarta.enterprise.inject.spi.DeploymentException when Mesa's validation fails */
    static Deployment of(Map<String, String> config, Class<?>... beans) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        ConfigProviderResolver resolver = ConfigProviderResolver.instance();
        try {
            resolver.releaseConfig(resolver.getConfig(cl));
        } catch (RuntimeException ignored) {
            // Nothing registered yet.
        }
        SmallRyeConfig cfg = new SmallRyeConfigBuilder()
                .withSources(new PropertiesConfigSource(config, "test", 500))
                .build();
        resolver.registerConfig(cfg, cl);
        MesaExtension extension = new MesaExtension();
        Weld weld = new Weld("mesa-test-" + System.nanoTime())
                .disableDiscovery()
                .addExtension(extension)
                .addBeanClasses(beans)
                .property("org.jboss.weld.bootstrap.concurrentDeployment", false);
        return new Deployment(weld.initialize(), extension);
    }

    MesaRuntime runtime() {
        return extension.runtime();
    }

    EndpointRuntime endpoint(String path) {
        return runtime().endpoints().stream().filter(e -> e.path().equals(path)).findFirst().orElseThrow();
    }

    <T> T bean(Class<T> type) {
        return container.select(type).get();
    }

    @Override
    public void close() {
        container.shutdown();
    }
}
