package dev.mesa.runtime;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Type;

import dev.mesa.CloseStatus;
import dev.mesa.Connection;
import dev.mesa.Message;

/**
 * One validated handler method and how to fill its parameters. Which sources a
 * method may draw from depends on its annotation and was checked at deployment.
 */
final class HandlerMethod {

    /** Where one parameter's value comes from. */
    enum Source { CONNECTION, MESSAGE, CLOSE_STATUS, THROWABLE, PAYLOAD }

    /** Everything a handler parameter can be filled from. */
    record Call(Connection connection, Message message, Object payload, CloseStatus status, Throwable error) {
    }

    private final Method method;
    private final Source[] sources;
    private final Type payloadType;

    HandlerMethod(Method method, Source[] sources, Type payloadType) {
        this.method = method;
        this.sources = sources.clone();
        this.payloadType = payloadType;
        // Handler methods may be package-private; the bean class lives in the application.
        method.setAccessible(true);
    }

    /** @return the declared type of the payload parameter, or {@code null} when the method takes none */
    Type payloadType() {
        return payloadType;
    }

    /** @return whether one of the parameters is a {@link Throwable} the given error can fill */
    boolean accepts(Throwable error) {
        Class<?>[] types = method.getParameterTypes();
        for (int i = 0; i < sources.length; i++) {
            if (sources[i] == Source.THROWABLE && !types[i].isInstance(error)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Invokes the method on the endpoint bean.
     *
     * @throws InvocationTargetException with the handler's own exception
     */
    Object invoke(Object bean, Call call) throws InvocationTargetException {
        Object[] args = new Object[sources.length];
        for (int i = 0; i < sources.length; i++) {
            args[i] = switch (sources[i]) {
                case CONNECTION -> call.connection();
                case MESSAGE -> call.message();
                case CLOSE_STATUS -> call.status();
                case THROWABLE -> call.error();
                case PAYLOAD -> call.payload();
            };
        }
        try {
            return method.invoke(bean, args);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("Mesa cannot call " + describe(), e);
        }
    }

    String describe() {
        return method.getDeclaringClass().getName() + "#" + method.getName();
    }
}
