package dev.mesa.runtime;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import dev.mesa.Connection;
import dev.mesa.Message;
import dev.mesa.spi.MessageInterceptor;

/** The application's {@link MessageInterceptor}s, in {@code @Priority} order. */
@Singleton
class InterceptorChain {

    private static final int DEFAULT_PRIORITY = 1000;

    @Inject
    @Any
    Instance<MessageInterceptor> candidates;

    private List<MessageInterceptor> interceptors = List.of();

    @PostConstruct
    void init() {
        record Ranked(int priority, String name, MessageInterceptor interceptor) {
        }
        List<Ranked> ranked = new ArrayList<>();
        for (Instance.Handle<MessageInterceptor> h : candidates.handles()) {
            Class<?> c = h.getBean().getBeanClass();
            Priority p = c.getAnnotation(Priority.class);
            ranked.add(new Ranked(p == null ? DEFAULT_PRIORITY : p.value(), c.getName(), h.get()));
        }
        ranked.sort(Comparator.comparingInt(Ranked::priority).thenComparing(Ranked::name));
        interceptors = ranked.stream().map(Ranked::interceptor).toList();
    }

    /**
     * @return the message as the last interceptor left it, or {@code null} when one vetoed it
     * @throws RuntimeException what an interceptor threw; the message is dropped
     */
    Message apply(Connection connection, Message message) {
        Message current = message;
        for (MessageInterceptor i : interceptors) {
            current = i.intercept(connection, current);
            if (current == null) {
                return null;
            }
        }
        return current;
    }
}
