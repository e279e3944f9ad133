package dev.feint.nn;

import dev.feint.FeintException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One layer of an architecture spec: a type and integer/float options, as in the JSON form.
 *
 * @param type    the layer type ("conv", "linear", "relu", ...)
 * @param options its options by name (copied, read-only)
 */
public record LayerSpec(String type, Map<String, Object> options) {
    /** Copies the options into a read-only map that keeps their order. */
    public LayerSpec {
        options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * A layer from alternating option names and values.
     *
     * @param type the layer type
     * @param kv name, value, name, value, ...
     * @return the layer
     */
    public static LayerSpec of(String type, Object... kv) {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return new LayerSpec(type, m);
    }

    /**
     * An integer option in [min, max], or its default when absent (default null = required).
     *
     * @param key the option's name
     * @param dflt its default, or null if required
     * @param min the smallest value accepted
     * @param max the largest value accepted
     * @return the value
     * @throws FeintException if the option is missing, not an integer or out of range
     */
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

    /**
     * A number option in [min, max], or its default when absent.
     *
     * @param key the option's name
     * @param dflt its default
     * @param min the smallest value accepted
     * @param max the largest value accepted
     * @return the value
     * @throws FeintException if the option is not a number or out of range
     */
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

    /**
     * A boolean option, or its default when absent.
     *
     * @param key the option's name
     * @param dflt its default
     * @return the value
     * @throws FeintException if the option is not true or false
     */
    public boolean flag(String key, boolean dflt) {
        Object v = options.get(key);
        if (v == null) return dflt;
        if (!(v instanceof Boolean b))
            throw new FeintException("option '" + key + "' must be true or false, got " + v);
        return b;
    }

    /** {@return this layer as a JSON-ready map: {"type": ..., options...}} */
    public Map<String, Object> toMap() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.putAll(options);
        return m;
    }
}
