package dev.feint.attack;

import dev.feint.attack.internal.DecisionMargin;

/**
 * One parameter an attack takes: its name (as builders and reports spell it: {@code stepSize}),
 * its kind, its default as text, and a short description, for help text and errors.
 *
 * @param name the name, as builders spell it
 * @param kind how a value is read
 * @param defaultValue the default, as text
 * @param help a short description
 */
public record AttackParam(String name, Kind kind, String defaultValue, String help) {
    /** How a value is read: whole numbers, 64-bit seeds, real numbers, text, true/false, a norm, a loss. */
    public enum Kind {
        /** A whole number in int range. */
        WHOLE,
        /** A whole number in long range. */
        SEED,
        /** A real number. */
        NUMBER,
        /** Text, trimmed. */
        TEXT,
        /** true or false. */
        FLAG,
        /** A norm's name: linf, l2, l1. */
        NORM,
        /** A loss's registry name: ce, margin, dlr. */
        LOSS
    }

    /**
     * A whole-number parameter.
     *
     * @param name the name
     * @param def the default, as text
     * @param help a short description
     * @return the parameter
     */
    public static AttackParam whole(String name, String def, String help) { return new AttackParam(name, Kind.WHOLE, def, help); }

    /**
     * A real-number parameter.
     *
     * @param name the name
     * @param def the default, as text
     * @param help a short description
     * @return the parameter
     */
    public static AttackParam number(String name, String def, String help) { return new AttackParam(name, Kind.NUMBER, def, help); }

    /**
     * A text parameter.
     *
     * @param name the name
     * @param def the default, as text
     * @param help a short description
     * @return the parameter
     */
    public static AttackParam text(String name, String def, String help) { return new AttackParam(name, Kind.TEXT, def, help); }

    /**
     * A true/false parameter.
     *
     * @param name the name
     * @param def the default, as text
     * @param help a short description
     * @return the parameter
     */
    public static AttackParam flag(String name, String def, String help) { return new AttackParam(name, Kind.FLAG, def, help); }

    /**
     * The norm, with the norms supported listed in help.
     *
     * @param def the default norm
     * @param supported the norms the attack takes, for help
     * @return the parameter
     */
    public static AttackParam norm(String def, String supported) { return new AttackParam("norm", Kind.NORM, def, supported); }

    /**
     * The radius; def says what it defaults to (or "required").
     *
     * @param def the default radius, or "required"
     * @param help a short description
     * @return the parameter
     */
    public static AttackParam eps(String def, String help) { return new AttackParam("eps", Kind.NUMBER, def, help); }

    /**
     * The loss to ascend (ce, margin or dlr).
     *
     * @param def the default loss's name
     * @return the parameter
     */
    public static AttackParam loss(String def) { return new AttackParam("loss", Kind.LOSS, def, "ce, margin or dlr"); }

    /** {@return the minimum-norm attacks' success margin ({@link DecisionMargin}): one spelling and default for all of them} */
    public static AttackParam margin() {
        return number("margin", String.valueOf(DecisionMargin.DEFAULT), "relative logit margin the wrong class must win by");
    }

    /** {@return the seed, default 0, from which every per-example stream derives} */
    public static AttackParam seed() {
        return new AttackParam("seed", Kind.SEED, "0", "random streams derive from (seed, example index)");
    }

    /**
     * The CLI spelling: stepSize -> step-size.
     *
     * @param param the parameter's name
     * @return its flag spelling
     */
    public static String flagName(String param) { return param.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT); }
}
