package dev.mesa.runtime;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.enterprise.inject.spi.ObserverMethod;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * Fires Mesa's lifecycle events, and only when somebody observes them: whether
 * a type has observers is resolved once, so an unobserved hook costs one map
 * lookup and no allocation on the message path.
 */
@Singleton
class EventSink {

    private static final Logger LOG = Logger.getLogger("dev.mesa");

    private enum Observed { NONE, SYNC, ASYNC, BOTH }

    private final Map<Class<?>, Observed> observed = new ConcurrentHashMap<>();

    @Inject
    BeanManager beanManager;

    /** @return whether events of this type may have observers (true until known otherwise) */
    boolean wanted(Class<?> type) {
        return observed.get(type) != Observed.NONE;
    }

    void fire(Object event) {
        Observed o = observed.computeIfAbsent(event.getClass(), c -> resolve(event));
        if (o == Observed.NONE) {
            return;
        }
        @SuppressWarnings("unchecked")
        Event<Object> e = (Event<Object>) beanManager.getEvent().select(event.getClass());
        if (o != Observed.ASYNC) {
            try {
                e.fire(event);
            } catch (RuntimeException ex) {
                LOG.log(Level.WARNING, "An observer of " + event.getClass().getSimpleName() + " threw; Mesa carries on", ex);
            }
        }
        if (o == Observed.ASYNC || o == Observed.BOTH) {
            e.fireAsync(event).exceptionally(ex -> {
                LOG.log(Level.WARNING, "An async observer of " + event.getClass().getSimpleName() + " threw", ex);
                return null;
            });
        }
    }

    private Observed resolve(Object event) {
        Set<ObserverMethod<? super Object>> observers = beanManager.resolveObserverMethods(event);
        boolean sync = false;
        boolean async = false;
        for (ObserverMethod<?> m : observers) {
            if (m.isAsync()) {
                async = true;
            } else {
                sync = true;
            }
        }
        return sync && async ? Observed.BOTH : sync ? Observed.SYNC : async ? Observed.ASYNC : Observed.NONE;
    }
}
