package dev.feint.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the registry knows of one attack: its name, whether it needs gradients, how it uses eps,
 * the parameters it takes (with defaults) and how to build it from {@link AttackArgs}. Each
 * attack file declares its own {@code ENTRY}; {@link AttackRegistry} lists them.
 *
 * @param name the registry name
 * @param blackBox true when the attack only queries logits
 * @param eps how the attack uses eps
 * @param summary one line for help
 * @param params the parameters it takes, with defaults
 * @param factory builds the attack from its arguments
 */
public record AttackEntry(String name, boolean blackBox, Eps eps, String summary, List<AttackParam> params,
                          Function<AttackArgs, Attack> factory) {
    /** REQUIRED: fixed-eps (a default radius per norm when none is given); OPTIONAL: eps changes the attack; NONE: no eps. */
    public enum Eps {
        /** A fixed-eps attack: eps is its radius, with a default per norm when none is given. */
        REQUIRED,
        /** eps may be given and then changes the attack (a minimum-norm attack stops within it; SimBA steps by it). */
        OPTIONAL,
        /** The attack takes no eps (pixel attacks, minimum-norm attacks). */
        NONE
    }

    /** Copies {@code params}, so that the record stays immutable. */
    public AttackEntry {
        params = List.copyOf(params);
    }

    /**
     * An entry for an attack that needs input gradients.
     *
     * @param name the registry name
     * @param eps how the attack uses eps
     * @param summary one line for help
     * @param params the parameters it takes
     * @param f the factory
     * @return the entry
     */
    public static AttackEntry whiteBox(String name, Eps eps, String summary, List<AttackParam> params, Function<AttackArgs, Attack> f) {
        return new AttackEntry(name, false, eps, summary, params, f);
    }

    /**
     * An entry for an attack that only queries logits.
     *
     * @param name the registry name
     * @param eps how the attack uses eps
     * @param summary one line for help
     * @param params the parameters it takes
     * @param f the factory
     * @return the entry
     */
    public static AttackEntry blackBox(String name, Eps eps, String summary, List<AttackParam> params, Function<AttackArgs, Attack> f) {
        return new AttackEntry(name, true, eps, summary, params, f);
    }

    /**
     * Whether the attack declares a parameter.
     *
     * @param param the parameter's name
     * @return true when it is declared
     */
    public boolean takes(String param) { return param(param) != null; }

    /**
     * The declared parameter, or null.
     *
     * @param name the parameter's name
     * @return the parameter, or null when the attack does not take it
     */
    public AttackParam param(String name) {
        for (AttackParam p : params) if (p.name().equals(name)) return p;
        return null;
    }

    /** {@return the parameter names, comma-separated} */
    public String paramNames() {
        List<String> n = new ArrayList<>();
        for (AttackParam p : params) n.add(p.name());
        return n.isEmpty() ? "nothing" : String.join(", ", n);
    }

    /** {@return one line per parameter: {@code name (default): help}} */
    public String help() {
        StringBuilder b = new StringBuilder(name).append(": ").append(summary).append('\n');
        for (AttackParam p : params)
            b.append("  ").append(p.name()).append(" (default ").append(p.defaultValue()).append("): ").append(p.help()).append('\n');
        return b.toString();
    }
}
