package dev.feint.eval.audit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Check 3 (arXiv:1902.06705, sections 4.3 and 5.2): more iterations and more restarts must never
 * help the defender. On each ladder of white-box attacks at eps ({@link AuditRun#whiteBoxLadders}:
 * FGSM, PGD-weak, PGD-strong, PGD-strong with restarts; APGD-CE without and with restarts) robust
 * accuracy must not rise from one rung to the next (a rise means the stronger attack is broken, or
 * a single step beats iterating: masking), and the last rung, restarts, must gain little (a large
 * gain says the evaluation had not converged, and more budget would lower the figure further).
 * The verdict is the worst over both questions and both ladders.
 */
public final class ConvergenceCheck implements AuditCheck {
    /** The check's id. */
    public static final String ID = "convergence";

    /** The check; it keeps no state, so one instance serves any number of audits. */
    public ConvergenceCheck() {}

    /** A stronger rung above a weaker one by any margin is already odd. */
    public static final double RISE_WARN_ABOVE = 0.0;
    /** By more than two points it is not noise: the iterative attack does not follow the gradient. */
    public static final double RISE_FAIL_ABOVE = 0.02;
    /** Restarts that still find a point more say the long run is close to, but not at, convergence. */
    public static final double GAIN_WARN_ABOVE = 0.01;
    /** Restarts that find more than three points more: the figure has not converged; raise steps and restarts (or use APGD). */
    public static final double GAIN_FAIL_ABOVE = 0.03;

    @Override public String id() { return ID; }

    @Override public CheckResult run(AuditRun a) {
        CheckResult worst = null;
        Map<String, Object> all = new LinkedHashMap<>();
        for (List<AuditRun.Run> ladder : a.whiteBoxLadders()) {
            String[] labels = new String[ladder.size()];
            double[] acc = new double[labels.length];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = ladder.get(i).label();
                acc[i] = ladder.get(i).robustAccuracy();
                all.put(labels[i], acc[i]);
            }
            CheckResult r = judge(labels, acc);
            if (worst == null || r.verdict().compareTo(worst.verdict()) > 0) worst = r;
        }
        return worst.with(Map.of("robustAccuracy", all));
    }

    /**
     * From the robust accuracies of attacks ordered weakest first; the last two differ only in restarts.
     *
     * @param labels the attacks' labels, in the same order
     * @param acc their robust accuracies
     * @return the verdict
     */
    public static CheckResult judge(String[] labels, double[] acc) {
        int n = acc.length;
        if (n < 2 || labels.length != n) throw new IllegalArgumentException("need two or more rungs with labels, got " + n);
        double rise = 0;
        int at = -1;
        for (int i = 1; i < n; i++)
            for (int j = 0; j < i; j++)
                if (acc[i] - acc[j] > rise) {
                    rise = acc[i] - acc[j];
                    at = i * n + j;
                }
        double gain = acc[n - 2] - acc[n - 1];
        Grade r = Grade.higherIsWorse(rise, RISE_WARN_ABOVE, RISE_FAIL_ABOVE), g = Grade.higherIsWorse(gain, GAIN_WARN_ABOVE, GAIN_FAIL_ABOVE);
        Map<String, Object> ladder = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) ladder.put(labels[i], acc[i]);
        Map<String, Object> details = Map.of("robustAccuracy", ladder, "weakToStrongGap", acc[0] - acc[n - 1]);
        if (r.verdict().compareTo(g.verdict()) > 0) {
            String msg = labels[at / n] + " leaves " + Grade.pct(rise) + " more examples robust than the weaker " + labels[at % n]
                    + ": a stronger attack must not do worse, so check its step size, or suspect gradient masking if a single step wins.";
            return new CheckResult(ID, "More steps and restarts never help the defender", r.verdict(),
                    "largest rise of robust accuracy from a weaker to a stronger attack", rise, r.threshold(), msg, details);
        }
        String msg = switch (g.verdict()) {
            case PASS -> "restarts change little (" + Grade.pct(gain) + ") and stronger attacks never do worse: the evaluation has converged.";
            case WARN -> "restarts still lower robust accuracy by " + Grade.pct(gain) + ": quote the restarted figure, and try more restarts.";
            case FAIL -> "restarts lower robust accuracy by " + Grade.pct(gain) + ", so the evaluation has not converged: raise steps and "
                    + "restarts (or use APGD) until they stop helping.";
        };
        return new CheckResult(ID, "More steps and restarts never help the defender", g.verdict(),
                "robust accuracy gained by restarts (" + labels[n - 2] + " minus " + labels[n - 1] + ")", gain, g.threshold(), msg, details);
    }
}
