package dev.feint.junit;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackBuilder;
import dev.feint.attack.AttackSpec;
import dev.feint.data.Dataset;
import dev.feint.eval.Evaluation;
import dev.feint.eval.RobustnessResult;
import dev.feint.eval.audit.AuditBudget;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * A robustness assertion (made by {@link RobustnessAssertions#assertRobustness}): settings first
 * ({@link #on}, {@link #under}, {@link #seed}), then thresholds, each returning this assertion
 * so they chain. The evaluation runs at the first threshold and is kept for the others; with
 * several attacks the robust accuracy is the per-example worst case over them. The same seed
 * gives the same figures, so the same verdict.
 *
 * <pre>{@code
 * assertRobustness(model).on(test, 200).under(Attacks.pgd().eps(0.1).steps(10)).seed(1)
 *         .hasRobustAccuracyAtLeast(0.40).hasCleanAccuracyAtLeast(0.70);
 * }</pre>
 */
public final class RobustnessAssert {
    private Evaluation evaluation;
    private boolean hasAttack;
    private RobustnessResult result;
    private int reports;

    RobustnessAssert(Evaluation evaluation) { this.evaluation = evaluation; }

    /**
     * The data, all of it.
     *
     * @param data the dataset
     * @return this assertion
     */
    public RobustnessAssert on(Dataset data) { return set(evaluation.on(data)); }

    /**
     * The first {@code examples} examples of the data.
     *
     * @param data the dataset
     * @param examples from 1 to its size
     * @return this assertion
     */
    public RobustnessAssert on(Dataset data, int examples) { return set(evaluation.on(data, examples)); }

    /**
     * One more attack (the figure is then the worst case over all of them).
     *
     * @param attack e.g. {@code AutoAttack.standard(Norm.LINF, 0.1)}
     * @return this assertion
     */
    public RobustnessAssert under(AttackBuilder attack) { hasAttack = true; return set(evaluation.attack(attack)); }

    /**
     * One more attack given as data.
     *
     * @param attack e.g. {@code AttackSpec.parse("pgd:eps=0.1")}
     * @return this assertion
     */
    public RobustnessAssert under(AttackSpec attack) { hasAttack = true; return set(evaluation.attack(attack)); }

    /**
     * One more attack, already built.
     *
     * @param attack the attack
     * @return this assertion
     */
    public RobustnessAssert under(Attack attack) { hasAttack = true; return set(evaluation.attack(attack)); }

    /**
     * The seed of every attack that takes one and sets none (default 0).
     *
     * @param seed any value
     * @return this assertion
     */
    public RobustnessAssert seed(long seed) { return set(evaluation.seed(seed)); }

    /**
     * Fails unless the robust accuracy (the worst case over the attacks) is at least {@code threshold}.
     *
     * @param threshold a fraction in [0, 1]
     * @return this assertion
     * @throws AssertionError when the figure is below the threshold
     */
    public RobustnessAssert hasRobustAccuracyAtLeast(double threshold) {
        RobustnessResult r = check(threshold);
        return verdict(r.worstCase() >= threshold, "robust accuracy", r.worstCase(), threshold);
    }

    /**
     * Fails unless the clean accuracy is at least {@code threshold}.
     *
     * @param threshold a fraction in [0, 1]
     * @return this assertion
     * @throws AssertionError when the figure is below the threshold
     */
    public RobustnessAssert hasCleanAccuracyAtLeast(double threshold) {
        RobustnessResult r = check(threshold);
        return verdict(r.cleanAccuracy() >= threshold, "clean accuracy", r.cleanAccuracy(), threshold);
    }

    /** {@return the evaluation's result (running it if no threshold did yet)} */
    public RobustnessResult result() {
        if (result == null) {
            if (!hasAttack) throw new IllegalStateException("assertRobustness: no attack given (call under(...), e.g. under(Attacks.pgd().eps(0.1)))");
            result = evaluation.run();
        }
        return result;
    }

    private RobustnessAssert set(Evaluation e) {
        if (result != null) throw new IllegalStateException("assertRobustness: settings come before the first threshold");
        evaluation = Objects.requireNonNull(e);
        return this;
    }

    private RobustnessResult check(double threshold) {
        if (!(threshold >= 0 && threshold <= 1))
            throw new IllegalArgumentException("assertRobustness: threshold = " + threshold + ", expected a fraction in [0, 1]");
        return result();
    }

    private RobustnessAssert verdict(boolean passed, String what, double figure, double threshold) {
        ReportSettings s = ReportSettings.current();
        Path page = s != null && (!passed || s.always()) ? writeReport(s) : null;
        if (passed) return this;
        RobustnessResult r = result;
        StringBuilder m = new StringBuilder()
                .append(r.modelName()).append(": ").append(what).append(' ').append(pct(figure)).append(" is below the threshold ").append(pct(threshold))
                .append("\n  on ").append(r.examples()).append(" examples under ").append(attacks(r))
                .append("\n  clean accuracy ").append(pct(r.cleanAccuracy())).append(", robust accuracy (worst case) ").append(pct(r.worstCase()))
                .append("\n  worst classes: ").append(r.worstClasses(3));
        if (result.audit().isPresent()) m.append("\n  ").append(result.audit().get().headline());
        m.append("\n  report: ").append(page != null ? page.toAbsolutePath()
                : "none (annotate the test with @dev.feint.junit.RobustnessTest to get the HTML report)");
        throw new org.opentest4j.AssertionFailedError(m.toString(), threshold, figure);
    }

    /** Each attack with its norm, eps and robust accuracy. */
    private static String attacks(RobustnessResult r) {
        StringBuilder b = new StringBuilder();
        for (var e : r.report().entries()) {
            if (!b.isEmpty()) b.append(", ");
            b.append(e.attack()).append(" (").append(e.norm().id()).append(", eps ").append(e.eps()).append(": ")
                    .append(pct(e.summary().robustAccuracy())).append(')');
        }
        for (var e : r.report().pixelEntries()) {
            if (!b.isEmpty()) b.append(", ");
            b.append(e.attack()).append(" (").append(e.pixels()).append(" pixels: ").append(pct(e.summary().robustAccuracy())).append(')');
        }
        return b.toString();
    }

    /** The report with the audit's verdict (the audit runs once, for the first report). */
    private Path writeReport(ReportSettings s) {
        if (result.audit().isEmpty() && s.audit() != RobustnessTest.Audit.NONE)
            result = result.audited(s.audit() == RobustnessTest.Audit.FULL ? AuditBudget.DEFAULT : QUICK);
        return result.writeReport(s.dir(++reports));
    }

    /** The audit of {@link RobustnessTest.Audit#QUICK}. */
    static final AuditBudget QUICK = AuditBudget.DEFAULT.withSteps(5, 20).withRestarts(2).withSquareQueries(300).withTargets(3);

    private static String pct(double v) { return String.format(Locale.ROOT, "%.1f%%", 100 * v); }
}
