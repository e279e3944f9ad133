package dev.feint.eval.audit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Check 2 (arXiv:1902.06705, section 5.2): robust accuracy can only fall as eps grows, since a
 * larger ball holds every perturbation of a smaller one. Runs the long PGD at eps times
 * {@link #FACTORS} (those inside the bounds), with clean accuracy at eps 0 and the unbounded
 * radius at the end; the figure is the largest rise from one radius to the next.
 */
public final class MonotoneEpsCheck implements AuditCheck {
    /** The check's id. */
    public static final String ID = "monotone";

    /** The check; it keeps no state, so one instance serves any number of audits. */
    public MonotoneEpsCheck() {}

    /** The grid around the audited eps: two halvings and two doublings, enough to see a curve bend the wrong way. */
    public static final float[] FACTORS = {0.25f, 0.5f, 1f, 2f, 4f};
    /** Any rise is a sign the attack is weaker at some radius than at a smaller one. */
    public static final double WARN_ABOVE = 0.0;
    /** A rise of more than two points is not noise on a few hundred examples: the attack does not optimise. */
    public static final double FAIL_ABOVE = 0.02;

    @Override public String id() { return ID; }

    @Override public CheckResult run(AuditRun a) {
        List<Float> eps = new ArrayList<>(List.of(0f));
        List<Double> acc = new ArrayList<>(List.of(a.cleanAccuracy()));
        for (float f : FACTORS) {
            float e = a.eps() * f;
            if (e <= 0 || e >= a.maxEps()) continue;
            eps.add(e);
            acc.add(a.pgd(e, a.budget().strongSteps(), 1).robustAccuracy());
        }
        eps.add(a.maxEps());
        acc.add(a.pgd(a.maxEps(), a.budget().strongSteps(), 1).robustAccuracy());
        float[] e = new float[eps.size()];
        double[] r = new double[e.length];
        for (int i = 0; i < e.length; i++) {
            e[i] = eps.get(i);
            r[i] = acc.get(i);
        }
        return judge(e, r);
    }

    /**
     * From robust accuracies at increasing radii.
     *
     * @param eps the radii, increasing
     * @param robustAccuracy the robust accuracy at each
     * @return the verdict, worse when robust accuracy rises with the radius
     */
    public static CheckResult judge(float[] eps, double[] robustAccuracy) {
        if (eps.length != robustAccuracy.length) throw new IllegalArgumentException(eps.length + " radii, " + robustAccuracy.length + " figures");
        double rise = 0;
        int at = -1;
        for (int i = 1; i < eps.length; i++) {
            double d = robustAccuracy[i] - robustAccuracy[i - 1];
            if (d > rise) {
                rise = d;
                at = i;
            }
        }
        Grade g = Grade.higherIsWorse(rise, WARN_ABOVE, FAIL_ABOVE);
        String msg = g.verdict() == Verdict.PASS ? "robust accuracy falls (or stays) as eps grows, as it must."
                : "robust accuracy rises by " + Grade.pct(rise) + " from eps " + eps[at - 1] + " to " + eps[at]
                + ": the attack is weaker at the larger radius, so give it more steps or restarts (or suspect masking) before quoting a figure.";
        List<Object> curve = new ArrayList<>();
        for (int i = 0; i < eps.length; i++) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("eps", (double) eps[i]);
            p.put("robustAccuracy", robustAccuracy[i]);
            curve.add(p);
        }
        return new CheckResult(ID, "Robust accuracy falls with eps", g.verdict(), "largest rise between consecutive eps", rise,
                g.threshold(), msg, Map.of("curve", curve));
    }
}
