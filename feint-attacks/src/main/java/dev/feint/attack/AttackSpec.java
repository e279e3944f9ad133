package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.io.Json;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An attack as data: its registry name, norm (null: the attack's default), eps (null: none or
 * the default) and parameters (whole numbers as Long, reals as Double, true/false, text; a
 * {@link Loss} value is kept as given and written by name). The CLI, the evaluation, the tests
 * and distributed runs all build attacks from it with {@link AttackRegistry#create}. Round trips
 * through {@link #toString()}/{@link #parse} and {@link #toJson()}/{@link #fromJson}.
 *
 * <pre>{@code
 * AttackSpec s = AttackSpec.parse("pgd:norm=linf,eps=0.1,steps=40,restarts=2");
 * Attack pgd = AttackRegistry.create(s.with("seed", 7));
 * }</pre>
 *
 * @param name the attack's registry name
 * @param norm the norm, or null for the attack's default
 * @param eps the radius, or null for the attack's default
 * @param params the other parameters by name (norm and eps are fields, not parameters)
 */
public record AttackSpec(String name, Norm norm, Float eps, Map<String, Object> params) {
    /**
     * Trims the name, drops null parameters and normalises values, so that equal specs compare equal.
     *
     * @throws dev.feint.FeintException when the name is missing
     */
    public AttackSpec {
        if (name == null || name.isBlank()) throw new FeintException("attack spec: the attack name is missing");
        name = name.trim();
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        if (params != null)
            for (var e : params.entrySet()) {
                if (e.getKey().equals("norm") || e.getKey().equals("eps"))
                    throw new IllegalArgumentException("norm and eps are fields of the spec, not parameters");
                if (e.getValue() != null) m.put(e.getKey(), normalise(e.getValue()));
            }
        params = Collections.unmodifiableMap(m);
    }

    /**
     * A spec with only a name: every value at the attack's default.
     *
     * @param name the registry name
     * @return the spec
     */
    public static AttackSpec of(String name) { return new AttackSpec(name, null, null, Map.of()); }

    /**
     * The same spec with another norm.
     *
     * @param n the norm, or null for the attack's default
     * @return the new spec
     */
    public AttackSpec norm(Norm n) { return new AttackSpec(name, n, eps, params); }

    /**
     * The same spec with another radius.
     *
     * @param e the radius, or null for the attack's default
     * @return the new spec
     */
    public AttackSpec eps(Float e) { return new AttackSpec(name, norm, e, params); }

    /**
     * With parameter k = v (v null: k removed).
     *
     * @param k the parameter's name
     * @param v its value, or null to remove it
     * @return the new spec
     */
    public AttackSpec with(String k, Object v) {
        if (k.equals("norm")) return norm(v == null ? null : v instanceof Norm n ? n : Norm.parse(v.toString()));
        if (k.equals("eps")) return eps(v == null ? null : v instanceof Number n ? n.floatValue() : parseEps(toString(), v.toString()));
        LinkedHashMap<String, Object> m = new LinkedHashMap<>(params);
        if (v == null) m.remove(k);
        else m.put(k, v);
        return new AttackSpec(name, norm, eps, m);
    }

    /** {@code name:norm=linf,eps=0.1,k=v,...} (just the name when there is nothing else). */
    @Override public String toString() {
        List<String> kv = new ArrayList<>();
        if (norm != null) kv.add("norm=" + norm.id());
        if (eps != null) kv.add("eps=" + eps);
        for (var e : params.entrySet()) kv.add(e.getKey() + "=" + text(e.getValue()));
        return kv.isEmpty() ? name : name + ":" + String.join(",", kv);
    }

    /**
     * The form of {@link #toString()}; values: true/false, whole numbers, reals, else text.
     *
     * @param s {@code name[:key=value,...]}
     * @return the spec
     * @throws dev.feint.FeintException when the text is malformed
     */
    public static AttackSpec parse(String s) {
        if (s == null) throw new FeintException("attack spec: missing");
        int colon = s.indexOf(':');
        AttackSpec spec = of(colon < 0 ? s : s.substring(0, colon));
        if (colon < 0 || colon == s.length() - 1) return spec;
        for (String part : s.substring(colon + 1).split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1)
                throw new FeintException("attack spec '" + s + "': '" + part + "' is not of the form parameter=value");
            String k = part.substring(0, eq).trim(), v = part.substring(eq + 1).trim();
            if (k.equals("eps")) spec = spec.eps(parseEps(s, v));
            else spec = spec.with(k, value(v));
        }
        return spec;
    }

    /** {@return {@code {"name": ..., "norm": ..., "eps": ..., "params": {...}}} (norm and eps only when set)} */
    public Map<String, Object> toJson() {
        LinkedHashMap<String, Object> o = new LinkedHashMap<>();
        o.put("name", name);
        if (norm != null) o.put("norm", norm.id());
        if (eps != null) o.put("eps", (double) eps);
        LinkedHashMap<String, Object> p = new LinkedHashMap<>();
        for (var e : params.entrySet()) p.put(e.getKey(), e.getValue() instanceof Loss l ? l.name() : e.getValue());
        o.put("params", p);
        return o;
    }

    /**
     * Reads the JSON form of {@link #toJson()}.
     *
     * @param json a parsed JSON object with a name and optional norm, eps and params
     * @return the spec
     * @throws dev.feint.FeintException naming what is malformed
     */
    public static AttackSpec fromJson(Object json) {
        if (!(json instanceof Map<?, ?> m) || !(m.get("name") instanceof String n))
            throw new FeintException("attack spec JSON: expected an object with a \"name\", got " + Json.write(json));
        AttackSpec spec = of(n);
        if (m.get("norm") != null) spec = spec.norm(Norm.parse(m.get("norm").toString()));
        if (m.get("eps") instanceof Number e) spec = spec.eps(e.floatValue());
        else if (m.get("eps") != null) throw new FeintException("attack spec JSON: eps " + Json.write(m.get("eps")) + " is not a number");
        if (m.get("params") instanceof Map<?, ?> p) for (var e : p.entrySet()) spec = spec.with(e.getKey().toString(), e.getValue());
        else if (m.get("params") != null) throw new FeintException("attack spec JSON: params must be an object");
        return spec;
    }

    private static float parseEps(String s, String v) {
        try {
            return Float.parseFloat(v);
        } catch (NumberFormatException e) {
            throw new FeintException("attack spec '" + s + "': eps '" + v + "' is not a number");
        }
    }

    private static Object value(String v) {
        if (v.equals("true") || v.equals("false")) return Boolean.valueOf(v);
        if (v.matches("[+-]?\\d{1,18}")) return Long.valueOf(v);
        try {
            return Double.valueOf(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private static Object normalise(Object v) {
        return switch (v) {
            case Integer i -> (long) i;
            case Short i -> (long) i;
            case Float f -> Double.valueOf(Float.toString(f));
            case Long l -> l;
            case Double d -> d;
            case Boolean b -> b;
            case Loss l -> l;
            case Norm n -> n.id();
            default -> v.toString();
        };
    }

    private static String text(Object v) { return v instanceof Loss l ? l.name() : v.toString(); }
}
