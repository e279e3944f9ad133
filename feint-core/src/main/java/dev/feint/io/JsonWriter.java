package dev.feint.io;

import java.lang.reflect.Array;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/** Serializer behind {@link Json#write} and {@link Json#writePretty}; one instance per call. */
final class JsonWriter {
    private final boolean pretty;
    private final StringBuilder out = new StringBuilder();

    JsonWriter(boolean pretty) { this.pretty = pretty; }

    String write(Object value) {
        value(value, 0);
        return out.toString();
    }

    private void value(Object v, int depth) {
        if (v instanceof JsonObject jo) v = jo.map();
        if (v == null) {
            out.append("null");
        } else if (v instanceof CharSequence cs) {
            string(cs);
        } else if (v instanceof Boolean b) {
            out.append(b.booleanValue());
        } else if (v instanceof Number n) {
            number(n);
        } else if (v instanceof Character c) {
            string(String.valueOf(c));
        } else if (v instanceof Enum<?> e) {
            string(e.name());
        } else if (v instanceof Map<?, ?> m) {
            object(m, depth + 1);
        } else if (v instanceof Collection<?> c) {
            array(c.iterator(), c.size(), allScalars(c), depth + 1);
        } else if (v.getClass().isArray()) {
            int n = Array.getLength(v);
            java.util.List<Object> list = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) list.add(Array.get(v, i));
            array(list.iterator(), n, allScalars(list), depth + 1);
        } else {
            throw new IllegalArgumentException("cannot write " + v.getClass().getName() + " as JSON");
        }
    }

    private void object(Map<?, ?> m, int depth) {
        checkDepth(depth);
        if (m.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
            if (!(e.getKey() instanceof String key))
                throw new IllegalArgumentException("JSON object keys must be strings, got " + e.getKey());
            if (!first) out.append(',');
            first = false;
            newline(depth);
            string(key);
            out.append(pretty ? ": " : ":");
            value(e.getValue(), depth);
        }
        newline(depth - 1);
        out.append('}');
    }

    private void array(Iterator<?> it, int size, boolean inline, int depth) {
        checkDepth(depth);
        if (size == 0) {
            out.append("[]");
            return;
        }
        out.append('[');
        boolean first = true;
        while (it.hasNext()) {
            if (!first) out.append(inline && pretty ? ", " : ",");
            first = false;
            if (!inline) newline(depth);
            value(it.next(), depth);
        }
        if (!inline) newline(depth - 1);
        out.append(']');
    }

    private static boolean allScalars(Collection<?> c) {
        for (Object o : c)
            if (o instanceof Map<?, ?> || o instanceof Collection<?> || o instanceof JsonObject
                    || (o != null && o.getClass().isArray())) return false;
        return true;
    }

    private static void checkDepth(int depth) {
        if (depth > Json.MAX_DEPTH)
            throw new IllegalArgumentException("JSON value nested deeper than " + Json.MAX_DEPTH + " levels (a cycle?)");
    }

    private void newline(int depth) {
        if (!pretty) return;
        out.append('\n');
        for (int i = 0; i < depth; i++) out.append("  ");
    }

    private void number(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            if (!Double.isFinite(d)) out.append("null");
            else out.append(n instanceof Float f ? Float.toString(f) : Double.toString(d));
        } else if (n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte
                || n instanceof BigInteger) {
            out.append(n);
        } else if (n instanceof BigDecimal bd) {
            out.append(bd.toString());
        } else {
            double d = n.doubleValue();
            out.append(Double.isFinite(d) ? Double.toString(d) : "null");
        }
    }

    private void string(CharSequence s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    boolean lone = Character.isSurrogate(c) && !pairedSurrogate(s, i);
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || lone) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /** True when s[i] is half of a valid surrogate pair (so it can be written raw as UTF-8). */
    private static boolean pairedSurrogate(CharSequence s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
