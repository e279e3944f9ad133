package dev.feint.attack.internal;

import dev.feint.attack.Norm;
import dev.feint.attack.ParameterException;

/**
 * Builder checks, one message form for all: {@code <attack>: parameter <name> = <value>,
 * expected <what>} (a {@link ParameterException}, which the CLI maps to its flags).
 */
public final class Checks {
    private Checks() {}

    public static float eps(String attack, float eps) {
        if (!(eps >= 0) || !Float.isFinite(eps)) throw ParameterException.invalid(attack, "eps", eps, "a finite number >= 0");
        return eps;
    }

    public static int steps(String attack, int steps) { return atLeast(attack, "steps", steps, 1); }

    public static int atLeast(String attack, String param, int value, int min) {
        if (value < min) throw ParameterException.invalid(attack, param, value, "a whole number >= " + min);
        return value;
    }

    public static float positive(String attack, String param, float value) {
        if (!(value > 0) || !Float.isFinite(value)) throw ParameterException.invalid(attack, param, value, "a finite number > 0");
        return value;
    }

    public static float nonNegative(String attack, String param, float value) {
        if (!(value >= 0) || !Float.isFinite(value)) throw ParameterException.invalid(attack, param, value, "a finite number >= 0");
        return value;
    }

    /** A value in [lo, hi]. */
    public static float within(String attack, String param, float value, float lo, float hi) {
        if (!(value >= lo && value <= hi)) throw ParameterException.invalid(attack, param, value, "a number in [" + lo + ", " + hi + "]");
        return value;
    }

    public static Norm norm(String attack, Norm norm, Norm... supported) {
        if (norm == null) throw ParameterException.missing(attack, "norm");
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < supported.length; i++) {
            if (supported[i] == norm) return norm;
            names.append(i == 0 ? "" : (i == supported.length - 1 ? " or " : ", ")).append(supported[i].id());
        }
        throw ParameterException.invalid(attack, "norm", norm.id(), names.toString());
    }

    public static float required(String attack, String param, Float value) {
        if (value == null) throw ParameterException.missing(attack, param);
        return value;
    }
}
