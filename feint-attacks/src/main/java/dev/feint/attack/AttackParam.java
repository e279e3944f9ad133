package dev.feint.attack;

import dev.feint.attack.internal.DecisionMargin;

/**
 * One parameter an attack takes: its name (as builders and reports spell it: {@code stepSize}),
 * its kind, its default as text, and a short description, for help text and errors.
 */
public record AttackParam(String name, Kind kind, String defaultValue, String help) {
    /** How a value is read: whole numbers, 64-bit seeds, real numbers, text, true/false, a norm, a loss. */
    public enum Kind { WHOLE, SEED, NUMBER, TEXT, FLAG, NORM, LOSS }

    public static AttackParam whole(String name, String def, String help) { return new AttackParam(name, Kind.WHOLE, def, help); }

    public static AttackParam number(String name, String def, String help) { return new AttackParam(name, Kind.NUMBER, def, help); }

    public static AttackParam text(String name, String def, String help) { return new AttackParam(name, Kind.TEXT, def, help); }

    public static AttackParam flag(String name, String def, String help) { return new AttackParam(name, Kind.FLAG, def, help); }

    /** The norm, with the norms supported listed in help. */
    public static AttackParam norm(String def, String supported) { return new AttackParam("norm", Kind.NORM, def, supported); }

    /** The radius; def says what it defaults to (or "required"). */
    public static AttackParam eps(String def, String help) { return new AttackParam("eps", Kind.NUMBER, def, help); }

    public static AttackParam loss(String def) { return new AttackParam("loss", Kind.LOSS, def, "ce, margin or dlr"); }

    /** The minimum-norm attacks' success margin ({@link DecisionMargin}): one spelling and default for all of them. */
    public static AttackParam margin() {
        return number("margin", String.valueOf(DecisionMargin.DEFAULT), "relative logit margin the wrong class must win by");
    }

    public static AttackParam seed() {
        return new AttackParam("seed", Kind.SEED, "0", "random streams derive from (seed, example index)");
    }

    /** The CLI spelling: stepSize -> step-size. */
    public static String flagName(String param) { return param.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT); }
}
