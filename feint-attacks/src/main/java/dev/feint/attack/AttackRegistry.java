package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.attack.blackbox.BoundaryAttack;
import dev.feint.attack.blackbox.HopSkipJump;
import dev.feint.attack.blackbox.OnePixelAttack;
import dev.feint.attack.blackbox.PixelSearch;
import dev.feint.attack.blackbox.SimBA;
import dev.feint.attack.blackbox.Spsa;
import dev.feint.attack.blackbox.SquareAttack;
import dev.feint.attack.gradient.Apgd;
import dev.feint.attack.gradient.ApgdT;
import dev.feint.attack.gradient.Bim;
import dev.feint.attack.gradient.CarliniWagnerL2;
import dev.feint.attack.gradient.DeepFool;
import dev.feint.attack.gradient.DiFgsm;
import dev.feint.attack.gradient.ElasticNet;
import dev.feint.attack.gradient.Fab;
import dev.feint.attack.gradient.Fgm;
import dev.feint.attack.gradient.Fgsm;
import dev.feint.attack.gradient.InvFgsm;
import dev.feint.attack.gradient.Jsma;
import dev.feint.attack.gradient.MiFgsm;
import dev.feint.attack.gradient.NiFgsm;
import dev.feint.attack.gradient.Pgd;
import dev.feint.attack.gradient.SiFgsm;
import dev.feint.attack.gradient.SparseFool;
import dev.feint.attack.gradient.TiFgsm;
import dev.feint.attack.gradient.VmiFgsm;
import dev.feint.attack.gradient.VniFgsm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one list of attacks: the CLI, the evaluation and the every-attack test build attacks from
 * an {@link AttackSpec} here, and help text and errors come from each attack's
 * {@link AttackEntry}. Adding an attack: its file (with its {@code ENTRY}) and one line below.
 * A parameter an attack does not take is an error, never ignored.
 *
 * <pre>{@code
 * Attack a = AttackRegistry.create(AttackSpec.parse("square:norm=linf,eps=0.1,queries=5000"));
 * }</pre>
 */
public final class AttackRegistry {
    private static final List<AttackEntry> ENTRIES = List.of(
            Fgsm.ENTRY, Fgm.ENTRY, Bim.ENTRY, Pgd.ENTRY, MiFgsm.ENTRY, DeepFool.ENTRY, CarliniWagnerL2.ENTRY, InvFgsm.ENTRY,
            Apgd.ENTRY, ApgdT.ENTRY, AutoAttack.ENTRY,
            Fab.ENTRY, Fab.TARGETED_ENTRY,
            DiFgsm.ENTRY, TiFgsm.ENTRY, NiFgsm.ENTRY, SiFgsm.ENTRY, VmiFgsm.ENTRY, VniFgsm.ENTRY, ElasticNet.ENTRY, Jsma.ENTRY, SparseFool.ENTRY,
            OnePixelAttack.ENTRY, SquareAttack.ENTRY, SimBA.ENTRY, HopSkipJump.ENTRY, BoundaryAttack.ENTRY, PixelSearch.ENTRY,
            Spsa.ENTRY);

    private AttackRegistry() {}

    /** {@return every registered attack, in the order reports and help list them} */
    public static List<String> names() {
        List<String> n = new ArrayList<>();
        for (AttackEntry e : ENTRIES) n.add(e.name());
        return n;
    }

    /**
     * The names of the white-box (blackBox false) or black-box attacks.
     *
     * @param blackBox true for the black-box attacks, false for the white-box ones
     * @return their names, in registry order
     */
    public static List<String> names(boolean blackBox) {
        List<String> n = new ArrayList<>();
        for (AttackEntry e : ENTRIES) if (e.blackBox() == blackBox) n.add(e.name());
        return n;
    }

    /** {@return every registered attack's entry, in registry order} */
    public static List<AttackEntry> entries() { return ENTRIES; }

    /**
     * Whether an attack of this name is registered.
     *
     * @param name the registry name
     * @return true when it is
     */
    public static boolean has(String name) { return find(name) != null; }

    /**
     * The entry of a registered attack.
     *
     * @param name the registry name
     * @return the entry
     * @throws dev.feint.FeintException naming the registered attacks when there is none of that name
     */
    public static AttackEntry entry(String name) {
        AttackEntry e = find(name);
        if (e == null) throw new FeintException("unknown attack '" + name + "' (expected one of " + String.join(", ", names()) + ")");
        return e;
    }

    /**
     * Builds the attack; a parameter it does not take, or a bad value, is a {@link ParameterException}.
     *
     * @param spec the attack's name, norm, eps and parameters
     * @return the attack
     * @throws ParameterException for a parameter the attack does not take or a bad value
     */
    public static Attack create(AttackSpec spec) {
        AttackEntry e = entry(spec.name());
        Map<String, Object> values = new LinkedHashMap<>();
        if (spec.norm() != null) values.put("norm", spec.norm().id());
        if (spec.eps() != null) values.put("eps", spec.eps());
        values.putAll(spec.params());
        for (String k : values.keySet()) if (!e.takes(k)) throw ParameterException.notTaken(e.name(), k, e.paramNames());
        AttackArgs args = new AttackArgs(e, values);
        Attack a = e.factory().apply(args);
        args.checkAllRead();
        return a;
    }

    /**
     * Parses and builds: {@code create("pgd:eps=0.1,steps=20")}.
     *
     * @param spec the spec's text form
     * @return the attack
     * @throws ParameterException for a parameter the attack does not take or a bad value
     */
    public static Attack create(String spec) { return create(AttackSpec.parse(spec)); }

    /** {@return every attack's parameters with defaults, for {@code --help} and docs} */
    public static String help() {
        StringBuilder b = new StringBuilder();
        for (AttackEntry e : ENTRIES) b.append(e.help());
        return b.toString();
    }

    /**
     * The default radius per norm when none is given: 0.1 Linf, 1.0 L2, 10 L1, 10 coordinates L0 (images in [0, 1]).
     *
     * @param norm the norm
     * @return the default radius in that norm
     */
    public static float defaultEps(Norm norm) {
        return switch (norm) {
            case LINF -> 0.1f;
            case L2 -> 1.0f;
            case L1, L0 -> 10f;
        };
    }

    private static AttackEntry find(String name) {
        if (name == null) return null;
        for (AttackEntry e : ENTRIES) if (e.name().equals(name.trim())) return e;
        return null;
    }
}
