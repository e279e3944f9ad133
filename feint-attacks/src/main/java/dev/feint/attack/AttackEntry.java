package dev.feint.attack;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the registry knows of one attack: its name, whether it needs gradients, how it uses eps,
 * the parameters it takes (with defaults) and how to build it from {@link AttackArgs}. Each
 * attack file declares its own {@code ENTRY}; {@link AttackRegistry} lists them.
 */
public record AttackEntry(String name, boolean blackBox, Eps eps, String summary, List<AttackParam> params,
                          Function<AttackArgs, Attack> factory) {
    /** REQUIRED: fixed-eps (a default radius per norm when none is given); OPTIONAL: eps changes the attack; NONE: no eps. */
    public enum Eps { REQUIRED, OPTIONAL, NONE }

    public AttackEntry {
        params = List.copyOf(params);
    }

    public static AttackEntry whiteBox(String name, Eps eps, String summary, List<AttackParam> params, Function<AttackArgs, Attack> f) {
        return new AttackEntry(name, false, eps, summary, params, f);
    }

    public static AttackEntry blackBox(String name, Eps eps, String summary, List<AttackParam> params, Function<AttackArgs, Attack> f) {
        return new AttackEntry(name, true, eps, summary, params, f);
    }

    public boolean takes(String param) { return param(param) != null; }

    /** The declared parameter, or null. */
    public AttackParam param(String name) {
        for (AttackParam p : params) if (p.name().equals(name)) return p;
        return null;
    }

    /** The parameter names, comma-separated. */
    public String paramNames() {
        List<String> n = new ArrayList<>();
        for (AttackParam p : params) n.add(p.name());
        return n.isEmpty() ? "nothing" : String.join(", ", n);
    }

    /** One line per parameter: {@code name (default): help}. */
    public String help() {
        StringBuilder b = new StringBuilder(name).append(": ").append(summary).append('\n');
        for (AttackParam p : params)
            b.append("  ").append(p.name()).append(" (default ").append(p.defaultValue()).append("): ").append(p.help()).append('\n');
        return b.toString();
    }
}
