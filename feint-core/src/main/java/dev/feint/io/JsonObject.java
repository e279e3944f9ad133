package dev.feint.io;

import dev.feint.FeintException;

import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A read-only typed view of a parsed JSON object, so callers reading configs and headers get
 * one clear error ("where: key 'x' must be ...") instead of a ClassCastException.
 */
final class JsonObject {
    private final Map<String, Object> map;
    private final String where;

    private JsonObject(Map<String, Object> map, String where) {
        this.map = Collections.unmodifiableMap(map);
        this.where = where;
    }

    /** Views {@code value} (from {@link Json#parse}) as an object; {@code where} prefixes errors. */
    @SuppressWarnings("unchecked")
    public static JsonObject of(Object value, String where) {
        if (!(value instanceof Map<?, ?> m))
            throw new FeintException(where + ": expected a JSON object but found " + kind(value));
        return new JsonObject((Map<String, Object>) m, where);
    }

    public Map<String, Object> map() { return map; }

    public String where() { return where; }

    public boolean has(String key) { return map.containsKey(key); }

    public String string(String key) { return required(key, String.class, "a string"); }

    public String string(String key, String fallback) { return has(key) ? string(key) : fallback; }

    public boolean bool(String key) { return required(key, Boolean.class, "true or false"); }

    public boolean bool(String key, boolean fallback) { return has(key) ? bool(key) : fallback; }

    public double number(String key) { return required(key, Number.class, "a number").doubleValue(); }

    public double number(String key, double fallback) { return has(key) ? number(key) : fallback; }

    /** An integer literal (no fraction/exponent) that fits a long. */
    public long integer(String key) { return required(key, Long.class, "an integer"); }

    public long integer(String key, long fallback) { return has(key) ? integer(key) : fallback; }

    public JsonObject object(String key) { return of(required(key, Map.class, "an object"), where + "." + key); }

    @SuppressWarnings("unchecked")
    public List<Object> list(String key) { return Collections.unmodifiableList(required(key, List.class, "an array")); }

    private <T> T required(String key, Class<T> type, String expected) {
        if (!map.containsKey(key)) throw new FeintException(where + ": missing key '" + key + "' (expected " + expected + ")");
        Object v = map.get(key);
        if (!type.isInstance(v))
            throw new FeintException(where + ": key '" + key + "' is " + kind(v) + " (expected " + expected + ")");
        return type.cast(v);
    }

    /** A short description of a parsed value for error messages. */
    static String kind(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return "the string \"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
        if (v instanceof Number n) return "the number " + n;
        if (v instanceof Boolean b) return b.toString();
        if (v instanceof Map<?, ?>) return "an object";
        if (v instanceof List<?>) return "an array";
        return v.getClass().getSimpleName();
    }

    @Override public String toString() { return Json.write(map); }
}
