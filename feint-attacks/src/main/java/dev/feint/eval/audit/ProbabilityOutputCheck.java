package dev.feint.eval.audit;

import dev.feint.data.Batch;
import dev.feint.tensor.Tensor;

import java.util.Map;

/**
 * Check 6b (AutoAttack's "softmax output is given" flag, arXiv:2003.01690): attacks expect
 * logits. A model that ends in a softmax still classifies the same, but its outputs are squeezed
 * into [0, 1]: cross-entropy on them is nearly flat and the DLR loss loses its scale, so gradient
 * attacks underperform. Counts the clean output rows that are probability distributions
 * (non-negative, at most 1, summing to 1 within {@link #TOLERANCE}).
 */
public final class ProbabilityOutputCheck implements AuditCheck {
    /** The check's id. */
    public static final String ID = "logits";

    /** The check; it keeps no state, so one instance serves any number of audits. */
    public ProbabilityOutputCheck() {}

    /** AutoAttack's alpha: float32 softmax rows sum to 1 within a few ulps, real logits almost never do. */
    public static final float TOLERANCE = 1e-5f;
    /** Most rows, not a coincidence on a few: the model's last layer is a softmax. */
    public static final double WARN_ABOVE = 0.5;

    @Override public String id() { return ID; }

    @Override public CheckResult run(AuditRun a) {
        int n = a.size(), k = a.model().numClasses(), rows = 0;
        for (Batch b : a.batches()) {
            Tensor z = a.model().logits(b.x());
            for (int i = 0; i < b.size(); i++) if (isDistribution(z.data(), i * k, k)) rows++;
        }
        return judge(n == 0 ? Double.NaN : (double) rows / n);
    }

    /** Whether z[off, off + k) is a probability distribution within {@link #TOLERANCE}. */
    static boolean isDistribution(float[] z, int off, int k) {
        double s = 0;
        for (int j = off; j < off + k; j++) {
            if (!(z[j] >= -TOLERANCE && z[j] <= 1 + TOLERANCE)) return false;
            s += z[j];
        }
        return Math.abs(s - 1) < TOLERANCE;
    }

    /**
     * From the fraction of output rows that are probability distributions.
     *
     * @param probabilityRows the fraction of output rows that are probability distributions
     * @return the verdict
     */
    public static CheckResult judge(double probabilityRows) {
        Grade g = Grade.higherIsWorse(probabilityRows, WARN_ABOVE, Double.POSITIVE_INFINITY);
        String msg = g.verdict() == Verdict.PASS ? "the model outputs logits, as the attacks' losses expect."
                : "the model outputs probabilities (" + Grade.pct(probabilityRows) + " of the rows are distributions), which flattens the "
                + "attacks' losses: remove the final softmax and evaluate the logits.";
        return new CheckResult(ID, "The model outputs logits", g.verdict(), "output rows that are probability distributions",
                probabilityRows, g.threshold(), msg, Map.of());
    }
}
