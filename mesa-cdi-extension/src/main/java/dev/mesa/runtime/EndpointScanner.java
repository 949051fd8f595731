package dev.mesa.runtime;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.spi.AnnotatedMethod;
import jakarta.enterprise.inject.spi.AnnotatedType;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.inject.Singleton;

import dev.mesa.CloseStatus;
import dev.mesa.Connection;
import dev.mesa.Identity;
import dev.mesa.Message;
import dev.mesa.MesaEndpoint;
import dev.mesa.OnAuthenticate;
import dev.mesa.OnConnect;
import dev.mesa.OnDisconnect;
import dev.mesa.OnError;
import dev.mesa.OnMessage;
import dev.mesa.runtime.HandlerMethod.Source;

/**
 * Turns a {@code @MesaEndpoint} bean into an {@link EndpointModel}, adding a
 * problem for every rule the bean breaks instead of stopping at the first.
 */
final class EndpointScanner {

    private static final List<Class<? extends Annotation>> HANDLER_ANNOTATIONS = List.of(
            OnConnect.class, OnMessage.class, OnAuthenticate.class, OnDisconnect.class, OnError.class);
    private static final Set<Class<? extends Annotation>> SUPPORTED_SCOPES = Set.of(
            ApplicationScoped.class, Singleton.class, Dependent.class);

    private final Problems problems;

    EndpointScanner(Problems problems) {
        this.problems = problems;
    }

    EndpointModel scan(Bean<?> bean, AnnotatedType<?> type) {
        Class<?> beanClass = type.getJavaClass();
        MesaEndpoint annotation = type.getAnnotation(MesaEndpoint.class);
        String path = annotation.value();
        checkPath(beanClass, path);
        String name = annotation.name().isBlank() ? defaultName(path) : annotation.name().trim();
        if (!SUPPORTED_SCOPES.contains(bean.getScope())) {
            problems.add(Problems.BAD_SCOPE, beanClass.getName(), "scope @" + bean.getScope().getSimpleName()
                    + " is not available on WebSocket threads; remove it (endpoints are @ApplicationScoped) or use @Singleton");
        }

        HandlerMethod onConnect = null;
        HandlerMethod onDisconnect = null;
        HandlerMethod onError = null;
        HandlerMethod onAuthenticate = null;
        HandlerMethod onAnyMessage = null;
        Map<String, HandlerMethod> byType = new HashMap<>();

        for (AnnotatedMethod<?> am : sorted(type.getMethods())) {
            Method m = am.getJavaMember();
            List<Class<? extends Annotation>> found = new ArrayList<>();
            for (Class<? extends Annotation> a : HANDLER_ANNOTATIONS) {
                if (am.isAnnotationPresent(a)) {
                    found.add(a);
                }
            }
            if (found.isEmpty()) {
                continue;
            }
            String where = beanClass.getName() + "#" + m.getName();
            if (found.size() > 1) {
                problems.add(Problems.BAD_METHOD, where, "carries " + names(found)
                        + "; a method handles one thing, split it into several methods");
                continue;
            }
            if (Modifier.isStatic(m.getModifiers()) || Modifier.isPrivate(m.getModifiers())) {
                problems.add(Problems.BAD_METHOD, where, "is " + (Modifier.isStatic(m.getModifiers()) ? "static" : "private")
                        + "; handler methods must be instance methods that are not private");
                continue;
            }
            Class<? extends Annotation> kind = found.get(0);
            if (kind == OnConnect.class) {
                HandlerMethod h = method(where, m, Set.of(Source.CONNECTION), false);
                checkVoid(where, m);
                onConnect = single(where, "@OnConnect", onConnect, h);
            } else if (kind == OnDisconnect.class) {
                HandlerMethod h = method(where, m, Set.of(Source.CONNECTION, Source.CLOSE_STATUS), false);
                checkVoid(where, m);
                onDisconnect = single(where, "@OnDisconnect", onDisconnect, h);
            } else if (kind == OnError.class) {
                HandlerMethod h = method(where, m, Set.of(Source.CONNECTION, Source.THROWABLE), false);
                checkVoid(where, m);
                onError = single(where, "@OnError", onError, h);
            } else if (kind == OnAuthenticate.class) {
                HandlerMethod h = method(where, m, Set.of(Source.CONNECTION), true);
                checkAuthenticateReturn(where, m);
                onAuthenticate = single(where, "@OnAuthenticate", onAuthenticate, h);
            } else {
                HandlerMethod h = method(where, m, Set.of(Source.CONNECTION, Source.MESSAGE), true);
                if (m.getReturnType() != void.class && m.getReturnType() != Message.class) {
                    problems.add(Problems.BAD_RETURN_TYPE, where, "returns " + m.getGenericReturnType().getTypeName()
                            + "; an @OnMessage method returns void, or a Message to answer the sender");
                }
                String messageType = am.getAnnotation(OnMessage.class).value();
                if (messageType.isEmpty()) {
                    if (onAnyMessage != null) {
                        problems.add(Problems.DUPLICATE_MESSAGE_HANDLER, where, "is a second catch-all @OnMessage (the first is "
                                + onAnyMessage.describe() + "); keep one, or give each a message type");
                    } else {
                        onAnyMessage = h;
                    }
                } else if (byType.containsKey(messageType)) {
                    problems.add(Problems.DUPLICATE_MESSAGE_HANDLER, where, "handles message type '" + messageType
                            + "' which " + byType.get(messageType).describe() + " already handles; keep one");
                } else {
                    byType.put(messageType, h);
                }
            }
        }
        return new EndpointModel(bean, path, name, onConnect, onDisconnect, onError, onAuthenticate, byType, onAnyMessage);
    }

    /** Orders methods by name so that "the first" and "the second" handler are the same on every deployment. */
    private static List<AnnotatedMethod<?>> sorted(Set<? extends AnnotatedMethod<?>> methods) {
        List<AnnotatedMethod<?>> list = new ArrayList<>(methods);
        list.sort((a, b) -> a.getJavaMember().toGenericString().compareTo(b.getJavaMember().toGenericString()));
        return list;
    }

    private void checkPath(Class<?> beanClass, String path) {
        String where = beanClass.getName();
        if (path == null || path.isBlank()) {
            problems.add(Problems.INVALID_PATH, where, "@MesaEndpoint has an empty path; give one such as \"/chat\"");
        } else if (!path.startsWith("/")) {
            problems.add(Problems.INVALID_PATH, where, "@MesaEndpoint(\"" + path + "\") must start with '/', as in \"/" + path + "\"");
        } else if (path.matches(".*[{}?#\\s].*")) {
            problems.add(Problems.INVALID_PATH, where, "@MesaEndpoint(\"" + path
                    + "\") may not contain templates ({...}), '?', '#' or white space");
        }
    }

    static String defaultName(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        String name = p.replaceAll("[^A-Za-z0-9-]", "-");
        return name.isEmpty() ? "root" : name;
    }

    private HandlerMethod single(String where, String annotation, HandlerMethod existing, HandlerMethod candidate) {
        if (existing != null) {
            problems.add(Problems.DUPLICATE_LIFECYCLE_HANDLER, where, "is a second " + annotation + " method (the first is "
                    + existing.describe() + "); an endpoint has at most one");
            return existing;
        }
        return candidate;
    }

    private HandlerMethod method(String where, Method m, Set<Source> allowed, boolean payloadAllowed) {
        Type[] types = m.getGenericParameterTypes();
        Source[] sources = new Source[types.length];
        Type payloadType = null;
        for (int i = 0; i < types.length; i++) {
            Source s = sourceOf(m.getParameterTypes()[i]);
            if (s == Source.PAYLOAD && !payloadAllowed) {
                s = null;
            } else if (s != null && s != Source.PAYLOAD && !allowed.contains(s)) {
                s = null;
            }
            if (s == null) {
                problems.add(Problems.BAD_PARAMETER, where, "parameter " + (i + 1) + " (" + types[i].getTypeName()
                        + ") is not allowed here; allowed: " + allowedText(allowed, payloadAllowed));
                continue;
            }
            for (int j = 0; j < i; j++) {
                if (sources[j] == s) {
                    problems.add(Problems.BAD_PARAMETER, where, "parameter " + (i + 1) + " (" + types[i].getTypeName()
                            + ") repeats " + (s == Source.PAYLOAD ? "the payload" : "a " + s.name().toLowerCase().replace('_', ' '))
                            + " parameter; each may appear once");
                }
            }
            if (s == Source.PAYLOAD) {
                payloadType = types[i];
            }
            sources[i] = s;
        }
        for (Source s : sources) {
            if (s == null) {
                return new HandlerMethod(m, new Source[0], null);
            }
        }
        return new HandlerMethod(m, sources, payloadType);
    }

    private static Source sourceOf(Class<?> type) {
        if (type == Connection.class) {
            return Source.CONNECTION;
        } else if (type == Message.class) {
            return Source.MESSAGE;
        } else if (type == CloseStatus.class) {
            return Source.CLOSE_STATUS;
        } else if (Throwable.class.isAssignableFrom(type)) {
            return Source.THROWABLE;
        }
        return Source.PAYLOAD;
    }

    private static String allowedText(Set<Source> allowed, boolean payload) {
        List<String> names = new ArrayList<>();
        for (Source s : Source.values()) {
            if (allowed.contains(s)) {
                names.add(switch (s) {
                    case CONNECTION -> "Connection";
                    case MESSAGE -> "Message";
                    case CLOSE_STATUS -> "CloseStatus";
                    case THROWABLE -> "Throwable";
                    case PAYLOAD -> "";
                });
            }
        }
        if (payload) {
            names.add("one payload parameter bound from 'd' with JSON-B");
        }
        return String.join(", ", names);
    }

    private void checkVoid(String where, Method m) {
        if (m.getReturnType() != void.class) {
            problems.add(Problems.BAD_RETURN_TYPE, where, "returns " + m.getGenericReturnType().getTypeName()
                    + "; this handler must return void");
        }
    }

    private void checkAuthenticateReturn(String where, Method m) {
        Type rt = m.getGenericReturnType();
        if (rt == Identity.class) {
            return;
        }
        if (rt instanceof ParameterizedType pt && pt.getRawType() == CompletionStage.class
                && pt.getActualTypeArguments()[0] == Identity.class) {
            return;
        }
        problems.add(Problems.BAD_RETURN_TYPE, where, "returns " + rt.getTypeName()
                + "; an @OnAuthenticate method returns Identity or CompletionStage<Identity>");
    }

    private static String names(List<Class<? extends Annotation>> annotations) {
        List<String> names = new ArrayList<>();
        for (Class<? extends Annotation> a : annotations) {
            names.add("@" + a.getSimpleName());
        }
        return String.join(" and ", names);
    }
}
