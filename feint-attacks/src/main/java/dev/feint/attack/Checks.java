package dev.feint.attack;

import dev.feint.FeintException;

/** Builder checks with the messages tests pin: "<attack>: <param> must be ..., got <value>". */
public final class Checks {
    private Checks() {}

    public static float eps(String attack, float eps) {
        if (!(eps >= 0) || !Float.isFinite(eps))
            throw new FeintException(attack + ": eps must be a finite number >= 0, got " + eps);
        return eps;
    }

    public static int steps(String attack, int steps) { return atLeast(attack, "steps", steps, 1); }

    public static int atLeast(String attack, String param, int value, int min) {
        if (value < min) throw new FeintException(attack + ": " + param + " must be >= " + min + ", got " + value);
        return value;
    }

    public static float positive(String attack, String param, float value) {
        if (!(value > 0) || !Float.isFinite(value))
            throw new FeintException(attack + ": " + param + " must be a finite number > 0, got " + value);
        return value;
    }

    public static float nonNegative(String attack, String param, float value) {
        if (!(value >= 0) || !Float.isFinite(value))
            throw new FeintException(attack + ": " + param + " must be a finite number >= 0, got " + value);
        return value;
    }

    public static Norm norm(String attack, Norm norm, Norm... supported) {
        if (norm == null) throw new FeintException(attack + ": norm is required");
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < supported.length; i++) {
            if (supported[i] == norm) return norm;
            names.append(i == 0 ? "" : (i == supported.length - 1 ? " or " : ", ")).append(supported[i].id());
        }
        throw new FeintException(attack + ": norm " + norm.id() + " is not supported (expected " + names + ")");
    }

    public static float required(String attack, String param, Float value) {
        if (value == null) throw new FeintException(attack + ": " + param + " is required");
        return value;
    }
}
