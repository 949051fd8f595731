package dev.mesa.runtime;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.spi.AfterDeploymentValidation;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.BeforeBeanDiscovery;
import jakarta.enterprise.inject.spi.DeploymentException;
import jakarta.enterprise.inject.spi.Extension;
import jakarta.enterprise.inject.spi.ProcessManagedBean;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

import dev.mesa.MesaEndpoint;

/**
 * Mesa's CDI portable extension: registers Mesa's own beans, collects the
 * {@code @MesaEndpoint} beans, and validates them and the configuration when
 * the application deploys, reporting every problem at once.
 */
public class MesaExtension implements Extension {

    private static final Logger LOG = Logger.getLogger("dev.mesa");

    /** Mesa's own beans: registered here because the library jar is not scanned. */
    private static final List<Class<?>> INTERNAL_BEANS = List.of(
            Codec.class, ConnectionRegistry.class, EventSink.class, InterceptorChain.class, Timer.class,
            SyncService.class, LocalDelivery.class, BrokerProducer.class, DispatchService.class, MesaRuntimeImpl.class);

    /** A validated endpoint ready to start. */
    record Deployed(EndpointModel model, Settings settings) {
    }

    private record Discovered(Bean<?> bean, AnnotatedType<?> type) {
    }

    private final List<Discovered> discovered = new ArrayList<>();
    private volatile List<Deployed> deployed = List.of();
    private volatile AppSettings appSettings;
    private volatile BeanManager beanManager;

    void registerInternalBeans(@Observes BeforeBeanDiscovery bbd, BeanManager bm) {
        for (Class<?> c : INTERNAL_BEANS) {
            bbd.addAnnotatedType(bm.createAnnotatedType(c), MesaExtension.class.getName() + "." + c.getSimpleName());
        }
    }

    <T> void collectEndpoints(@Observes ProcessManagedBean<T> pmb) {
        AnnotatedType<T> type = pmb.getAnnotatedBeanClass();
        if (type.isAnnotationPresent(MesaEndpoint.class)) {
            discovered.add(new Discovered(pmb.getBean(), type));
        }
    }

    void validate(@Observes AfterDeploymentValidation adv, BeanManager bm) {
        Problems problems = new Problems();
        List<Deployed> result = validate(ConfigProvider.getConfig(), problems);
        if (!problems.isEmpty()) {
            String report = problems.report();
            LOG.severe(report);
            adv.addDeploymentProblem(new DeploymentException(report));
            return;
        }
        beanManager = bm;
        deployed = result;
    }

    /** Validates the collected endpoints against the configuration; package-private for unit tests. */
    List<Deployed> validate(Config config, Problems problems) {
        SettingsReader reader = new SettingsReader(config, problems);
        AppSettings app = reader.application();
        EndpointScanner scanner = new EndpointScanner(problems);
        List<Deployed> result = new ArrayList<>();
        Map<String, String> byPath = new HashMap<>();
        Map<String, String> byName = new HashMap<>();
        boolean anyAuthenticator = false;
        for (Discovered d : discovered) {
            EndpointModel model = scanner.scan(d.bean(), d.type());
            String owner = d.type().getJavaClass().getName();
            String otherPath = byPath.putIfAbsent(model.path(), owner);
            if (otherPath != null) {
                problems.add(Problems.DUPLICATE_ENDPOINT, owner, "path '" + model.path() + "' is already served by "
                        + otherPath + "; give each @MesaEndpoint its own path");
            }
            String otherName = byName.putIfAbsent(model.name(), owner);
            if (otherName != null && otherPath == null) {
                problems.add(Problems.DUPLICATE_ENDPOINT, owner, "endpoint name '" + model.name() + "' is already used by "
                        + otherName + "; set @MesaEndpoint(name = ...) so each endpoint's mesa.endpoint.<name>.* keys are its own");
            }
            Settings settings = reader.endpoint(model.name());
            if (settings.authenticationRequired() && model.onAuthenticate() == null) {
                problems.add(Problems.AUTHENTICATOR_MISSING, owner, "authentication is required on '" + model.path()
                        + "' (mesa.authentication.required or mesa.endpoint." + model.name()
                        + ".authentication.required) but the class has no @OnAuthenticate method; add one or turn the key off");
            }
            anyAuthenticator |= model.onAuthenticate() != null;
            result.add(new Deployed(model, settings));
        }
        if (app.syncEnabled() && !discovered.isEmpty() && !anyAuthenticator) {
            problems.add(Problems.SYNC_PREREQUISITES, "mesa.sync.enabled", "message sync needs authenticated users, but no "
                    + "@MesaEndpoint has an @OnAuthenticate method; add one or set mesa.sync.enabled=false");
        }
        if (app.syncEnabled() && !app.storeConnectedUsers()) {
            problems.add(Problems.SYNC_PREREQUISITES, "mesa.authentication.store-connected-users", "message sync needs "
                    + "store-connected-users=true (as in Mesa 1.x); set it to true or set mesa.sync.enabled=false");
        }
        appSettings = app;
        return result;
    }

    /**
     * The application's engine, started on first use. Transport bindings call
     * this once the CDI container is up (from a ServletContainerInitializer, say).
     *
     * @return the runtime
     * @throws IllegalStateException when the deployment failed validation or CDI is not up yet
     */
    public MesaRuntime runtime() {
        BeanManager bm = beanManager;
        if (bm == null) {
            throw new IllegalStateException("Mesa is not deployed: its validation failed or the CDI container has not started");
        }
        Bean<?> bean = bm.resolve(bm.getBeans(MesaRuntimeImpl.class));
        MesaRuntimeImpl runtime = (MesaRuntimeImpl) bm.getReference(bean, MesaRuntimeImpl.class, bm.createCreationalContext(bean));
        runtime.start(deployed, appSettings);
        return runtime;
    }

    /** @return the application-wide settings, once validated */
    AppSettings appSettings() {
        return appSettings;
    }

    /** Adds an endpoint bean as if discovered; for unit tests of validation. */
    void discovered(Bean<?> bean, AnnotatedType<?> type) {
        discovered.add(new Discovered(bean, type));
    }
}
