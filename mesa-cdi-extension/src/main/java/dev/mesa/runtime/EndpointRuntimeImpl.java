package dev.mesa.runtime;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.mesa.CloseCodes;
import dev.mesa.event.ConnectionOpened;
import dev.mesa.event.MesaError;

/** One deployed endpoint: its model, settings, connections and what they share. */
final class EndpointRuntimeImpl implements EndpointRuntime {

    private static final Logger LOG = Logger.getLogger("dev.mesa");

    /** The services every connection of the application uses. */
    record Services(Codec codec, ConnectionRegistry registry, EventSink events, InterceptorChain interceptors,
                    SyncService sync, Broker broker) {
    }

    private final EndpointModel model;
    private final Settings settings;
    private final Object bean;
    private final Services services;
    private final String hello;
    private final ConcurrentHashMap<String, ConnectionImpl> connections = new ConcurrentHashMap<>();

    EndpointRuntimeImpl(EndpointModel model, Settings settings, Object bean, Services services) {
        this.model = model;
        this.settings = settings;
        this.bean = bean;
        this.services = services;
        this.hello = hello(settings, services.sync().resumeAvailable());
    }

    /** Mesa's hello; {@code rules} is always present because the clients call {@code rules.indexOf}. */
    static String hello(Settings s, boolean resume) {
        StringBuilder d = new StringBuilder("{");
        if (s.heartbeatEnabled()) {
            d.append("\"c_heartbeat_interval\":").append(s.heartbeatInterval().toMillis()).append(',');
        }
        if (s.reconnectEnabled()) {
            d.append("\"c_reconnect_interval\":").append(s.reconnectInterval().toMillis()).append(',');
        }
        if (!s.authenticationTimeout().isZero()) {
            d.append("\"c_authentication_timeout\":").append(s.authenticationTimeout().toMillis()).append(',');
        }
        List<String> rules = new ArrayList<>();
        if (s.enforceEqualVersions()) {
            rules.add("\"enforce_equal_versions\"");
        }
        if (s.storeMessages()) {
            rules.add("\"store_messages\"");
        }
        if (s.sendUserObject()) {
            rules.add("\"sends_user_object\"");
        }
        if (resume) {
            // Mesa 1.x clients ignore rules they do not know; see docs/resume.md.
            rules.add("\"resume\"");
        }
        d.append("\"rules\":[").append(String.join(",", rules)).append("]}");
        return Frames.frame(10, d.toString(), null, 0);
    }

    @Override
    public String path() {
        return model.path();
    }

    @Override
    public Limits limits() {
        return settings.limits();
    }

    @Override
    public InboundHandler open(Transport transport) {
        ConnectionImpl c = new ConnectionImpl(this, transport);
        connections.put(c.connectionId(), c);
        services.registry().add(c);
        services.broker().connectionOpened();
        transport.send(hello);
        if (services.events().wanted(ConnectionOpened.class)) {
            services.events().fire(new ConnectionOpened(c));
        }
        HandlerMethod h = model.onConnect();
        if (h != null) {
            try {
                h.invoke(bean, new HandlerMethod.Call(c, null, null, null, null));
            } catch (InvocationTargetException e) {
                error(c, e.getCause());
            } catch (RuntimeException e) {
                error(c, e);
            }
        }
        return c;
    }

    void closed(ConnectionImpl c) {
        connections.remove(c.connectionId());
        services.registry().remove(c);
        c.userId().ifPresent(services.broker()::userUnbound);
        services.broker().connectionClosed();
    }

    /** Heartbeats and timeouts of every connection of this endpoint, on the shared timer. */
    void tick() {
        long now = System.nanoTime();
        for (ConnectionImpl c : connections.values()) {
            try {
                c.tick(now);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "Mesa timer failed for " + c, e);
            }
        }
    }

    /** How often {@link #tick()} must run for the configured heartbeats and timeouts to be on time. */
    long tickMillis() {
        long shortest = Long.MAX_VALUE;
        if (settings.heartbeatEnabled()) {
            shortest = Math.min(shortest, settings.heartbeatInterval().toMillis());
        }
        if (settings.enforcesAuthenticationTimeout()) {
            shortest = Math.min(shortest, settings.authenticationTimeout().toMillis());
        }
        if (!settings.limits().idleTimeout().isZero()) {
            shortest = Math.min(shortest, settings.limits().idleTimeout().toMillis());
        }
        // A tenth of the shortest duration keeps timers within 10 % of their setting; at most a second, so 10k idle
        // connections cost a few thousand cheap checks a second.
        return shortest == Long.MAX_VALUE ? 0 : Math.max(5, Math.min(1000, shortest / 10));
    }

    void shutdown() {
        for (ConnectionImpl c : connections.values()) {
            c.disconnect(CloseCodes.GOING_AWAY, "Server shutting down");
        }
    }

    void error(ConnectionImpl c, Throwable error) {
        try {
            HandlerMethod h = model.onError();
            if (h != null && h.accepts(error)) {
                h.invoke(bean, new HandlerMethod.Call(c, null, null, null, error));
            } else {
                LOG.log(Level.WARNING, "Mesa endpoint " + path() + ": " + error, error);
            }
        } catch (InvocationTargetException e) {
            LOG.log(Level.WARNING, "The @OnError method of " + path() + " threw", e.getCause());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "The @OnError method of " + path() + " threw", e);
        }
        if (services.events().wanted(MesaError.class)) {
            services.events().fire(new MesaError(c, error));
        }
    }

    EndpointModel model() {
        return model;
    }

    Settings settings() {
        return settings;
    }

    Object bean() {
        return bean;
    }

    Codec codec() {
        return services.codec();
    }

    EventSink events() {
        return services.events();
    }

    InterceptorChain interceptors() {
        return services.interceptors();
    }

    SyncService sync() {
        return services.sync();
    }
}
