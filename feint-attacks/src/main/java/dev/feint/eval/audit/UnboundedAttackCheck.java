package dev.feint.eval.audit;

import java.util.Map;

/**
 * Check 1 (Carlini et al., arXiv:1902.06705, section 5.2): at the largest radius the bounds
 * allow (Linf 1.0 for images in [0, 1]) any image can be turned into any other, so a working
 * attack must reach 0% robust accuracy. What survives points to masked gradients or to bounds
 * the attack does not know. Runs the long PGD (no restarts) at that radius.
 */
public final class UnboundedAttackCheck implements AuditCheck {
    /** The check's id. */
    public static final String ID = "unbounded";

    /** The check; it keeps no state, so one instance serves any number of audits. */
    public UnboundedAttackCheck() {}

    /** Any survivor at all is suspicious: nothing is robust to an unbounded perturbation. */
    public static final double WARN_ABOVE = 0.0;
    /** More than one in a hundred cannot be bad luck of a 100-step attack: the gradients do not lead anywhere. */
    public static final double FAIL_ABOVE = 0.01;

    @Override public String id() { return ID; }

    @Override public CheckResult run(AuditRun a) {
        AuditRun.Run r = a.pgd(a.maxEps(), a.budget().strongSteps(), 1);
        return judge(r.robustAccuracy(), a.maxEps(), a.norm().id()).with(Map.of("attack", r.label()));
    }

    /**
     * From the robust accuracy at the unbounded radius {@code eps} of the norm.
     *
     * @param robustAccuracy the robust accuracy at that radius
     * @param eps the radius
     * @param norm the norm's name
     * @return the verdict, worse the more robust accuracy survives an unbounded attack
     */
    public static CheckResult judge(double robustAccuracy, float eps, String norm) {
        Grade g = Grade.higherIsWorse(robustAccuracy, WARN_ABOVE, FAIL_ABOVE);
        String msg = switch (g.verdict()) {
            case PASS -> "an unbounded attack breaks every example, as it must.";
            case WARN -> Grade.pct(robustAccuracy) + " survive an unbounded attack: look at those examples, and rerun with more steps.";
            case FAIL -> Grade.pct(robustAccuracy) + " survive an unbounded attack, which only masked gradients or wrong input bounds "
                    + "explain: attack the model with Square or with a differentiable approximation of its non-differentiable parts (BPDA).";
        };
        return new CheckResult(ID, "Unbounded attack reaches 0%", g.verdict(),
                "robust accuracy at " + norm + " eps " + eps, robustAccuracy, g.threshold(), msg);
    }
}
