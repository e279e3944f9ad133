package dev.feint.attack.gradient;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.Norm;

import java.util.ArrayList;
import java.util.List;

/**
 * The registry of gradient attacks by name, for the CLI and for tests that must cover every
 * attack. {@link #create} sets only the options given and rejects those an attack lacks, so a
 * flag is never silently ignored.
 */
public final class GradientAttacks {
    /** Every registered attack, in the order reports list them. */
    public static final List<String> NAMES = List.of("fgsm", "fgm", "bim", "pgd", "mifgsm", "deepfool", "cw", "invfgsm");

    private GradientAttacks() {}

    /** Optional settings; null means the attack's default. */
    public record Options(Norm norm, Float eps, Integer steps, Float stepSize, Integer restarts, Long seed) {
        public static Options defaults() { return new Options(null, null, null, null, null, null); }

        public Options withEps(float e) { return new Options(norm, e, steps, stepSize, restarts, seed); }
    }

    public static Attack create(String name, Options o) {
        String a = name == null ? "" : name.trim();
        return switch (a) {
            case "fgsm" -> {
                reject(a, o, false, true, true, true);
                yield Fgsm.builder().eps(eps(a, o)).build();
            }
            case "invfgsm" -> {
                reject(a, o, false, true, true, true);
                yield InvFgsm.builder().eps(eps(a, o)).build();
            }
            case "fgm" -> {
                reject(a, o, true, true, true, true);
                var b = Fgm.builder().eps(eps(a, o));
                yield (o.norm() != null ? b.norm(o.norm()) : b).build();
            }
            case "bim", "mifgsm" -> {
                reject(a, o, true, false, false, true);
                if (a.equals("bim")) {
                    var b = Bim.builder().eps(eps(a, o));
                    if (o.norm() != null) b.norm(o.norm());
                    if (o.steps() != null) b.steps(o.steps());
                    if (o.stepSize() != null) b.stepSize(o.stepSize());
                    yield b.build();
                }
                var b = MiFgsm.builder().eps(eps(a, o));
                if (o.norm() != null) b.norm(o.norm());
                if (o.steps() != null) b.steps(o.steps());
                if (o.stepSize() != null) b.stepSize(o.stepSize());
                yield b.build();
            }
            case "pgd" -> {
                var b = Pgd.builder().eps(eps(a, o));
                if (o.norm() != null) b.norm(o.norm());
                if (o.steps() != null) b.steps(o.steps());
                if (o.stepSize() != null) b.stepSize(o.stepSize());
                if (o.restarts() != null) b.restarts(o.restarts());
                if (o.seed() != null) b.seed(o.seed());
                yield b.build();
            }
            case "deepfool" -> {
                reject(a, o, true, false, true, true);
                noEps(a, o);
                var b = DeepFool.builder();
                if (o.norm() != null) b.norm(o.norm());
                if (o.steps() != null) b.steps(o.steps());
                yield b.build();
            }
            case "cw" -> {
                reject(a, o, true, false, true, true);
                noEps(a, o);
                if (o.norm() != null && o.norm() != Norm.L2) throw new FeintException("cw: norm " + o.norm().id()
                        + " is not supported (expected l2)");
                var b = CarliniWagnerL2.builder();
                if (o.steps() != null) b.steps(o.steps());
                yield b.build();
            }
            default -> {
                // Black-box attacks (onepixel, square, simba, hsja, boundary, pixel-search) at their default budgets;
                // --queries and --pixels go through BlackBoxAttacks.create(name, Map).
                if (dev.feint.attack.blackbox.BlackBoxAttacks.has(a))
                    yield dev.feint.attack.blackbox.BlackBoxAttacks.create(a, o.norm(), o.eps(), o.steps(), o.stepSize(), o.restarts(), o.seed());
                throw new FeintException("unknown attack '" + name + "' (expected one of " + String.join(", ", NAMES) + ")");
            }
        };
    }

    /** The default radius per norm when none is given: 0.1 Linf, 1.0 L2, 10 L1, 10 coordinates L0 (images in [0, 1]). */
    public static float defaultEps(Norm norm) {
        return switch (norm) {
            case LINF -> 0.1f;
            case L2 -> 1.0f;
            case L1 -> 10f;
            case L0 -> 10f;
        };
    }

    private static float eps(String a, Options o) {
        if (o.eps() != null) return o.eps();
        Norm n = o.norm() != null ? o.norm() : (a.equals("fgm") ? Norm.L2 : Norm.LINF);
        return defaultEps(n);
    }

    private static void noEps(String a, Options o) {
        if (o.eps() != null)
            throw new FeintException(a + " is a minimum-norm attack: eps does not apply (it reports the smallest perturbation found)");
    }

    /** Throws for any option given that the attack does not take (the seed is accepted by all, used by some). */
    private static void reject(String a, Options o, boolean norm, boolean noSteps, boolean noStepSize, boolean noRestarts) {
        List<String> bad = new ArrayList<>();
        if (!norm && o.norm() != null && o.norm() != Norm.LINF) bad.add("norm " + o.norm().id());
        if (noSteps && o.steps() != null) bad.add("steps");
        if (noStepSize && o.stepSize() != null) bad.add("step size");
        if (noRestarts && o.restarts() != null) bad.add("restarts");
        if (!bad.isEmpty()) throw new FeintException(a + ": option " + String.join(", ", bad) + " does not apply to this attack");
    }
}
