package dev.mesa.runtime.redis;

import java.lang.reflect.Array;
import java.lang.reflect.RecordComponent;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

import dev.mesa.runtime.Frames;

/**
 * JSON for the standalone Dispatcher, which must run with nothing but Jedis
 * on the class path: maps, lists, arrays, records, strings, numbers, booleans,
 * enums, and {@code jakarta.json} values when present. Anything else is
 * refused with a message saying what to pass instead.
 */
final class JsonText {

    private JsonText() {
    }

    static String write(Object value) {
        StringBuilder sb = new StringBuilder();
        write(value, sb, 0);
        return sb.toString();
    }

    private static void write(Object v, StringBuilder sb, int depth) {
        if (depth > 64) {
            throw new IllegalArgumentException("data nests deeper than 64 levels (a cycle?)");
        }
        if (v == null) {
            sb.append("null");
        } else if (v instanceof CharSequence || v instanceof Character || v instanceof Enum<?>) {
            Frames.quote(v instanceof Enum<?> e ? e.name() : v.toString(), sb);
        } else if (v instanceof Boolean) {
            sb.append(v);
        } else if (v instanceof Number n) {
            double d = n.doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("JSON has no NaN or infinity");
            }
            sb.append(n);
        } else if (v instanceof Optional<?> o) {
            write(o.orElse(null), sb, depth + 1);
        } else if (v instanceof Map<?, ?> map) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                Frames.quote(String.valueOf(e.getKey()), sb);
                sb.append(':');
                write(e.getValue(), sb, depth + 1);
                first = false;
            }
            sb.append('}');
        } else if (v instanceof Iterable<?> it) {
            sb.append('[');
            Iterator<?> i = it.iterator();
            while (i.hasNext()) {
                write(i.next(), sb, depth + 1);
                if (i.hasNext()) {
                    sb.append(',');
                }
            }
            sb.append(']');
        } else if (v.getClass().isArray()) {
            sb.append('[');
            for (int i = 0, n = Array.getLength(v); i < n; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                write(Array.get(v, i), sb, depth + 1);
            }
            sb.append(']');
        } else if (v instanceof Record r) {
            sb.append('{');
            RecordComponent[] components = r.getClass().getRecordComponents();
            for (int i = 0; i < components.length; i++) {
                if (i > 0) {
                    sb.append(',');
                }
                Frames.quote(components[i].getName(), sb);
                sb.append(':');
                try {
                    components[i].getAccessor().setAccessible(true);
                    write(components[i].getAccessor().invoke(r), sb, depth + 1);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalArgumentException("cannot read " + components[i].getName() + " of " + r.getClass().getName(), e);
                }
            }
            sb.append('}');
        } else if (v.getClass().getName().startsWith("org.eclipse.parsson.") || v.getClass().getName().startsWith("jakarta.json.")
                || implementsJsonValue(v.getClass())) {
            sb.append(v);
        } else {
            throw new IllegalArgumentException("the standalone Dispatcher writes maps, lists, arrays, records, strings, "
                    + "numbers, booleans, enums and jakarta.json values, not " + v.getClass().getName());
        }
    }

    private static boolean implementsJsonValue(Class<?> c) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Class<?> i : k.getInterfaces()) {
                if (i.getName().startsWith("jakarta.json.Json")) {
                    return true;
                }
            }
        }
        return false;
    }
}
