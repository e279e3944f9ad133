package dev.feint.eval.audit;

import dev.feint.attack.Norm;
import dev.feint.attack.AttackSpec;

import java.util.Map;

/**
 * Check 4a (arXiv:1902.06705, section 5.4; AutoAttack's "Square Attack improves the robustness
 * evaluation" flag, arXiv:2003.01690): a black-box attack sees less than a white-box one, so it must
 * not break examples that every gradient attack missed. Runs Square with AutoAttack's settings at eps
 * (Linf or L2; Square has no other norm) and measures the examples it alone broke.
 */
public final class BlackBoxCheck implements AuditCheck {
    /** The check's id. */
    public static final String ID = "black-box";

    /** The check; it keeps no state, so one instance serves any number of audits. */
    public BlackBoxCheck() {}

    /** AutoAttack's own threshold for its Square flag (alpha = 0.002 in its checks). */
    public static final double WARN_ABOVE = 0.002;
    /**
     * But never on a single example: AutoAttack's 0.2% is two examples of the 1,000 it is usually
     * run on, so one example of a smaller audit is not yet a pattern (it still shows in the figure).
     */
    public static final int WARN_MIN_EXAMPLES = 1;
    /** Beyond two points the gradient attacks are clearly being misled: masked gradients. */
    public static final double FAIL_ABOVE = 0.02;

    @Override public String id() { return ID; }

    @Override public CheckResult run(AuditRun a) {
        if (a.norm() != Norm.LINF && a.norm() != Norm.L2)
            return new CheckResult(ID, "Black-box attacks below white-box", Verdict.WARN, "not measured", Double.NaN, WARN_ABOVE,
                    "Square has no " + a.norm().id() + " version, so no black-box comparison was made: add one with a transfer "
                            + "attack (a surrogate model).");
        boolean[] white = a.whiteBoxRobust();
        AuditRun.Run sq = a.attack("square-" + a.budget().squareQueries(), AuditRun.Kind.BLACK_BOX, AttackSpec.of("square").eps(a.eps())
                .with("queries", a.budget().squareQueries()).with("pInit", (double) a.budget().squarePInit()));
        return judge("square", AuditRun.brokenOnlyBy(white, sq.robust()), AuditRun.accuracy(white), sq.robustAccuracy(), a.size());
    }

    /**
     * From the fraction of the {@code examples} examples the black-box attack {@code attack} broke
     * that the white-box attacks did not, with both robust accuracies for the report.
     *
     * @param attack the black-box attack's name
     * @param brokenOnlyByBlackBox the fraction broken by it and by no white-box attack
     * @param whiteBox the white-box worst-case robust accuracy
     * @param blackBox the black-box attack's robust accuracy
     * @param examples the examples audited
     * @return the verdict, worse the more examples only the black-box attack broke
     */
    public static CheckResult judge(String attack, double brokenOnlyByBlackBox, double whiteBox, double blackBox, int examples) {
        double warn = Math.max(WARN_ABOVE, (double) WARN_MIN_EXAMPLES / examples);
        Grade g = Grade.higherIsWorse(brokenOnlyByBlackBox, warn, Math.max(warn, FAIL_ABOVE));
        String msg = switch (g.verdict()) {
            case PASS -> attack + " finds nothing the gradient attacks missed: no sign of masked gradients.";
            case WARN -> attack + " breaks " + Grade.pct(brokenOnlyByBlackBox) + " of the examples the gradient attacks left robust: "
                    + "quote the worst case over both, and look at those examples.";
            case FAIL -> attack + " breaks " + Grade.pct(brokenOnlyByBlackBox) + " of the examples the gradient attacks left robust, "
                    + "so the gradients mislead them (masking): quote the worst case over all attacks and try an adaptive attack.";
        };
        return new CheckResult(ID, "Black-box attacks below white-box", g.verdict(), "examples broken by " + attack + " only",
                brokenOnlyByBlackBox, g.threshold(), msg, Map.of("whiteBoxRobustAccuracy", whiteBox, "blackBoxRobustAccuracy", blackBox));
    }
}
