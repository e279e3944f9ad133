package dev.feint.nn;

import dev.feint.FeintException;

import java.util.LinkedHashMap;
import java.util.Map;

/** One layer of an architecture spec: a type and integer/float options, as in the JSON form. */
public record LayerSpec(String type, Map<String, Object> options) {
    public LayerSpec {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    public static LayerSpec of(String type, Object... kv) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return new LayerSpec(type, m);
    }

    /** An integer option in [min, max], or its default when absent (default null = required). */
    public int integer(String key, Integer dflt, int min, int max) {
        Object v = options.get(key);
        if (v == null) {
            if (dflt == null) throw new FeintException("missing required option '" + key + "'");
            return dflt;
        }
        if (!(v instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue()))
            throw new FeintException("option '" + key + "' must be an integer, got " + v);
        long l = n.longValue();
        if (l < min || l > max)
            throw new FeintException("option '" + key + "' = " + l + " is outside [" + min + ", " + max + "]");
        return (int) l;
    }

    public float real(String key, float dflt, float min, float max) {
        Object v = options.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Number n))
            throw new FeintException("option '" + key + "' must be a number, got " + v);
        float f = n.floatValue();
        if (!(f >= min && f <= max))
            throw new FeintException("option '" + key + "' = " + f + " is outside [" + min + ", " + max + "]");
        return f;
    }

    public boolean flag(String key, boolean dflt) {
        Object v = options.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Boolean b))
            throw new FeintException("option '" + key + "' must be true or false, got " + v);
        return b;
    }

    /** As a JSON-ready map: {"type": ..., options...}. */
    public Map<String, Object> toMap() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.putAll(options);
        return m;
    }
}
