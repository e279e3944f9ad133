package dev.feint.attack;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Typed reads of an {@link AttackSpec}'s parameters for one {@link AttackEntry}'s factory: each
 * read hands a given value to a builder setter (nothing is set when the value is absent, so the
 * builder's default holds) and converts or rejects it with a {@link ParameterException} that
 * names the parameter. Reading a parameter the entry does not declare is a bug (IllegalStateException).
 */
public final class AttackArgs {
    private final AttackEntry entry;
    private final Map<String, Object> values;
    private final Set<String> read = new HashSet<>();

    AttackArgs(AttackEntry entry, Map<String, Object> values) {
        this.entry = entry;
        this.values = values;
    }

    /** {@return the attack's registry name, as errors name it} */
    public String attack() { return entry.name(); }

    /**
     * Whether the parameter was given.
     *
     * @param p the parameter's name
     * @return true when it has a value
     */
    public boolean has(String p) { return values.get(declared(p)) != null; }

    /**
     * Hands a whole-number parameter to {@code set}, when given.
     *
     * @param p the parameter's name
     * @param set the builder setter
     * @throws ParameterException when the value is not a whole number in int range
     */
    public void whole(String p, IntConsumer set) {
        Object v = get(p);
        if (v != null) set.accept((int) integral(p, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
    }

    /**
     * Hands the seed to {@code set}, when given.
     *
     * @param set the builder setter
     * @throws ParameterException when the value is not a whole number in long range
     */
    public void seed(LongConsumer set) {
        Object v = get("seed");
        if (v != null) set.accept(integral("seed", v, Long.MIN_VALUE, Long.MAX_VALUE));
    }

    /**
     * Hands a real-number parameter to {@code set}, when given.
     *
     * @param p the parameter's name
     * @param set the builder setter
     * @throws ParameterException when the value is not a number
     */
    public void number(String p, Consumer<Float> set) {
        Object v = get(p);
        if (v != null) set.accept((float) real(p, v));
    }

    /**
     * Hands a text parameter, trimmed, to {@code set}, when given.
     *
     * @param p the parameter's name
     * @param set the builder setter
     */
    public void text(String p, Consumer<String> set) {
        Object v = get(p);
        if (v != null) set.accept(v.toString().trim());
    }

    /**
     * Hands a true/false parameter to {@code set}, when given.
     *
     * @param p the parameter's name
     * @param set the builder setter
     * @throws ParameterException when the value is neither true nor false
     */
    public void flag(String p, Consumer<Boolean> set) {
        Object v = get(p);
        if (v == null) return;
        String s = v.toString().trim();
        if (!s.equals("true") && !s.equals("false")) throw ParameterException.invalid(attack(), p, v, "true or false");
        set.accept(s.equals("true"));
    }

    /**
     * Hands the norm to {@code set}, when given.
     *
     * @param set the builder setter
     * @throws ParameterException when the norm is unknown or not one the attack takes
     */
    public void norm(Consumer<Norm> set) { text("norm", s -> set.accept(parseNorm(s))); }

    /**
     * Hands the loss (a {@link Loss} or its registry name) to {@code set}, when given.
     *
     * @param set the builder setter
     * @throws ParameterException when the name is unknown
     */
    public void loss(Consumer<Loss> set) {
        Object v = get("loss");
        if (v instanceof Loss l) set.accept(l);
        else if (v != null) set.accept(parseLoss(v.toString().trim()));
    }

    /**
     * The norm given, or {@code fallback}.
     *
     * @param fallback the attack's default norm
     * @return the norm
     * @throws ParameterException when the norm is unknown
     */
    public Norm normOr(Norm fallback) {
        Object v = get("norm");
        return v == null ? fallback : parseNorm(v.toString().trim());
    }

    /**
     * Hands the norm given (or {@code fallback}) to setNorm, then eps as {@link #eps} for that norm.
     *
     * @param fallback the attack's default norm
     * @param setNorm the builder's norm setter
     * @param setEps the builder's eps setter
     */
    public void normAndEps(Norm fallback, Consumer<Norm> setNorm, Consumer<Float> setEps) {
        Norm n = normOr(fallback);
        setNorm.accept(n);
        eps(n, setEps);
    }

    /**
     * The given eps; for a fixed-eps attack without one, the default radius of {@code norm}.
     *
     * @param norm the norm the radius is measured in
     * @param set the builder's eps setter
     * @throws ParameterException when the value is not a number
     */
    public void eps(Norm norm, Consumer<Float> set) {
        Object v = get("eps");
        if (v != null) set.accept((float) real("eps", v));
        else if (entry.eps() == AttackEntry.Eps.REQUIRED) set.accept(AttackRegistry.defaultEps(norm));
    }

    private Norm parseNorm(String s) {
        for (Norm n : Norm.values()) if (n.id().equals(s)) return n;
        AttackParam p = entry.param("norm");
        throw ParameterException.invalid(attack(), "norm", s, p.help());
    }

    private Loss parseLoss(String s) {
        for (Loss l : Loss.BUILT_IN) if (l.name().equals(s)) return l;
        throw ParameterException.invalid(attack(), "loss", s, "ce, margin or dlr");
    }

    private String declared(String p) {
        if (!entry.takes(p)) throw new IllegalStateException(attack() + " reads undeclared parameter " + p);
        return p;
    }

    private Object get(String p) {
        read.add(declared(p));
        return values.get(p);
    }

    private long integral(String p, Object v, long min, long max) {
        double d = real(p, v);
        if (v instanceof Long l) return check(p, v, l, min, max);
        if (v instanceof Integer i) return check(p, v, i, min, max);
        if (d != Math.rint(d)) throw ParameterException.invalid(attack(), p, v, "a whole number");
        if (v instanceof String s && s.trim().matches("[+-]?\\d+")) {
            try {
                return check(p, v, Long.parseLong(s.trim()), min, max);
            } catch (NumberFormatException e) {
                throw ParameterException.invalid(attack(), p, v, "a whole number in " + min + ".." + max);
            }
        }
        if (Math.abs(d) > 9.0e15) throw ParameterException.invalid(attack(), p, v, "a whole number in " + min + ".." + max);
        return check(p, v, (long) d, min, max);
    }

    private long check(String p, Object v, long x, long min, long max) {
        if (x < min || x > max) throw ParameterException.invalid(attack(), p, v, "a whole number in " + min + ".." + max);
        return x;
    }

    private double real(String p, Object v) {
        if (v instanceof Number n) return n.doubleValue();
        try {
            return Double.parseDouble(v.toString().trim());
        } catch (NumberFormatException e) {
            throw ParameterException.invalid(attack(), p, v, "a number");
        }
    }

    /** Every given parameter was read by the factory (a bug otherwise: a value silently ignored). */
    void checkAllRead() {
        for (var e : values.entrySet())
            if (e.getValue() != null && !read.contains(e.getKey()))
                throw new IllegalStateException(attack() + " ignored its parameter " + e.getKey());
    }
}
