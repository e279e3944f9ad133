package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackSpec;
import dev.feint.attack.Norm;
import dev.feint.attack.ParameterException;

import java.util.Map;
import java.util.function.Supplier;

/**
 * The CLI's door to {@link AttackRegistry}: builds an {@link AttackSpec} from flag values keyed
 * by parameter name, and turns the library's {@link ParameterException}s (which name
 * parameters) into messages about flags: {@code pgd: --steps 0, expected a whole number >= 1},
 * {@code square needs --eps}, {@code pgd does not take --pixels}.
 */
final class AttackFlags {
    private AttackFlags() {}

    /** The flag of a parameter: stepSize -> --step-size. */
    static String flag(String param) { return "--" + AttackParam.flagName(param); }

    /** The spec of {@code name} with every given value; {@code sharedOnly}: values the attack does not take are left out. */
    static AttackSpec spec(AttackEntry e, Map<String, Object> byParam, boolean sharedOnly) {
        AttackSpec s = AttackSpec.of(e.name());
        for (var kv : byParam.entrySet()) {
            if (kv.getValue() == null || (sharedOnly && !e.takes(kv.getKey()))) continue;
            if (kv.getKey().equals("norm")) s = s.norm(Norm.parse(kv.getValue().toString()));
            else s = s.with(kv.getKey(), kv.getValue());
        }
        return s;
    }

    /** Builds the attack; prefix starts messages about a missing value ("" or "--attacks "). */
    static Attack create(AttackSpec spec, String prefix) { return mapped(() -> AttackRegistry.create(spec), prefix); }

    /** Runs {@code f}, turning a ParameterException into the flag's message. */
    static <T> T mapped(Supplier<T> f, String prefix) {
        try {
            return f.get();
        } catch (ParameterException e) {
            throw new FeintException(message(e, prefix), e);
        }
    }

    static String message(ParameterException e, String prefix) {
        String flag = flag(e.parameter());
        return switch (e.kind()) {
            case INVALID -> e.attack() + ": " + flag + " " + e.value() + ", expected " + e.expected();
            case NOT_TAKEN -> e.attack() + " does not take " + flag;
            case MISSING -> {
                AttackEntry entry = AttackRegistry.has(e.attack()) ? AttackRegistry.entry(e.attack()) : null;
                AttackParam p = entry == null ? null : entry.param(e.parameter());
                yield prefix + e.attack() + " needs " + flag + (p != null && p.kind() == AttackParam.Kind.NORM ? " " + p.help() : "");
            }
        };
    }
}
