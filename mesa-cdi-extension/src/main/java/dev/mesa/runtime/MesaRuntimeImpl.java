package dev.mesa.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.logging.Logger;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.spi.CreationalContext;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/** Builds the endpoint runtimes from what the extension validated, and owns their timers. */
@Singleton
class MesaRuntimeImpl implements MesaRuntime {

    private static final Logger LOG = Logger.getLogger("dev.mesa");

    @Inject
    BeanManager beanManager;
    @Inject
    Codec codec;
    @Inject
    ConnectionRegistry registry;
    @Inject
    EventSink events;
    @Inject
    InterceptorChain interceptors;
    @Inject
    SyncService sync;
    @Inject
    Timer timer;
    @Inject
    Broker broker;
    @Inject
    LocalDelivery delivery;

    private final List<EndpointRuntimeImpl> endpoints = new ArrayList<>();
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();
    private boolean started;

    /** Creates the endpoints once; later calls return the same ones. */
    synchronized List<EndpointRuntime> start(List<MesaExtension.Deployed> deployed, AppSettings app) {
        if (!started) {
            started = true;
            sync.configure(app);
            EndpointRuntimeImpl.Services services = new EndpointRuntimeImpl.Services(
                    codec, registry, events, interceptors, sync, broker);
            broker.start(delivery::deliverFromOtherInstance, delivery::deliverNumberedHere);
            for (MesaExtension.Deployed d : deployed) {
                EndpointRuntimeImpl e = new EndpointRuntimeImpl(d.model(), d.settings(), reference(d.model().bean()), services);
                endpoints.add(e);
                long tick = e.tickMillis();
                if (tick > 0) {
                    ticks.add(timer.every(tick, e::tick));
                }
                LOG.info(() -> "Mesa endpoint " + e.path() + " (" + d.model().bean().getBeanClass().getName() + ") is ready");
            }
        }
        return List.copyOf(endpoints);
    }

    @Override
    public synchronized List<EndpointRuntime> endpoints() {
        return List.copyOf(endpoints);
    }

    /**
     * The endpoint bean's contextual instance, not a client proxy: handlers are called reflectively, and a
     * proxy cannot override a package-private handler inherited from another package, which would then run
     * on the proxy's own empty fields. Application scope is always active, so the instance stays valid;
     * interceptors still apply (the container's instance of an intercepted bean is its intercepting subclass).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Object reference(Bean<?> bean) {
        CreationalContext cc = beanManager.createCreationalContext(bean);
        if (beanManager.isNormalScope(bean.getScope())) {
            return beanManager.getContext(bean.getScope()).get((Bean) bean, cc);
        }
        return beanManager.getReference(bean, bean.getBeanClass(), cc);
    }

    @PreDestroy
    synchronized void stop() {
        ticks.forEach(t -> t.cancel(false));
        endpoints.forEach(EndpointRuntimeImpl::shutdown);
        broker.stop();
        codec.close();
    }
}
