package dev.feint.eval.audit;

import dev.feint.data.Batch;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.LossFunction;
import dev.feint.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Check 6a (AutoAttack's "zero gradient" flag, arXiv:2003.01690; arXiv:1902.06705, section 4.2):
 * gradient attacks cannot move an example whose input gradient is zero or not finite. Measures,
 * at a uniform random start in the eps-ball (as APGD starts), the input gradient of the margin loss
 * (top other logit minus the label's: it does not saturate, so a zero there means the network
 * itself passes no gradient, e.g. input quantisation) and of the cross-entropy (which can underflow
 * on very confident examples: a milder problem with a known remedy, margin or DLR losses).
 */
public final class GradientHealthCheck implements AuditCheck {
    /** The check's id. */
    public static final String ID = "gradients";

    /** The check; it keeps no state, so one instance serves any number of audits. */
    public GradientHealthCheck() {}

    /** AutoAttack warns on a single example with a zero gradient. */
    public static final double ZERO_WARN_ABOVE = 0.0;
    /** Beyond one in a hundred a real share of the robust accuracy comes from examples no gradient attack can move. */
    public static final double ZERO_FAIL_ABOVE = 0.01;

    @Override public String id() { return ID; }

    @Override public CheckResult run(AuditRun a) {
        int n = a.size(), d = a.model().inputSize();
        int[] margin = new int[2], ce = new int[2];
        float[] row0 = new float[d], row = new float[d];
        for (Batch b : a.batches()) {
            int from = b.indices()[0];
            float[] start = b.x().data();                 // a fresh array per batch: moved in place
            for (int i = 0; i < b.size(); i++) {
                System.arraycopy(start, i * d, row0, 0, d);
                a.norm().randomStart(row, row0, 1, d, a.eps(), new SplittableRandom(a.seed() + 31L * (from + i)));
                a.model().bounds().clamp(row, 0, d);
                System.arraycopy(row, 0, start, i * d, d);
            }
            count(a.model(), b.x(), b.y(), true, margin);
            count(a.model(), b.x(), b.y(), false, ce);
        }
        return judge((double) margin[0] / n, (double) Math.max(margin[1], ce[1]) / n, (double) ce[0] / n);
    }

    /**
     * From the fractions of examples with a zero margin-loss gradient, a non-finite gradient or loss, and a zero CE gradient.
     *
     * @param zeroMargin fraction with a zero margin-loss gradient
     * @param nonFinite fraction with a non-finite gradient or loss
     * @param zeroCrossEntropy fraction with a zero cross-entropy gradient
     * @return the verdict
     */
    public static CheckResult judge(double zeroMargin, double nonFinite, double zeroCrossEntropy) {
        Map<String, Object> details = Map.of("zeroMarginGradient", zeroMargin, "nonFiniteGradient", nonFinite,
                "zeroCrossEntropyGradient", zeroCrossEntropy);
        if (nonFinite > 0)
            return new CheckResult(ID, "Input gradients are usable", Verdict.FAIL, "examples with a non-finite gradient or loss", nonFinite,
                    0, Grade.pct(nonFinite) + " of the examples have a NaN or infinite gradient or loss, which stalls every gradient "
                    + "attack: find the operation that overflows (e.g. a log of a probability) and evaluate on the logits.", details);
        Grade g = Grade.higherIsWorse(zeroMargin, ZERO_WARN_ABOVE, ZERO_FAIL_ABOVE);
        if (g.verdict() == Verdict.PASS && zeroCrossEntropy > ZERO_WARN_ABOVE)
            return new CheckResult(ID, "Input gradients are usable", Verdict.WARN, "examples with a zero cross-entropy gradient",
                    zeroCrossEntropy, ZERO_WARN_ABOVE, Grade.pct(zeroCrossEntropy) + " of the examples have a zero cross-entropy "
                    + "gradient (a saturated softmax): use a margin or DLR loss (APGD-DLR) for them.", details);
        String msg = switch (g.verdict()) {
            case PASS -> "every example has a finite, non-zero input gradient.";
            case WARN, FAIL -> Grade.pct(zeroMargin) + " of the examples have a zero input gradient even for the margin loss, so no "
                    + "gradient attack can move them: the model masks its gradient (e.g. a quantised input); use Square, or BPDA "
                    + "through the non-differentiable part.";
        };
        return new CheckResult(ID, "Input gradients are usable", g.verdict(), "examples with a zero margin-loss gradient", zeroMargin,
                g.threshold(), msg, details);
    }

    /** Adds to counts {zero gradients, non-finite gradients or losses} of the margin (or CE) loss at the batch x. */
    private static void count(DifferentiableModel m, Tensor x, int[] labels, boolean margin, int[] counts) {
        int d = m.inputSize();
        LossFunction loss = margin ? LossFunction.margin(labels) : LossFunction.crossEntropy(labels);
        DifferentiableModel.Gradient g = m.gradient(x, loss);
        float[] gr = g.grad();
        for (int i = 0; i < labels.length; i++) {
            double s = 0;
            boolean finite = Float.isFinite(g.loss()[i]);
            for (int j = i * d; j < (i + 1) * d; j++) {
                finite &= Float.isFinite(gr[j]);
                s += Math.abs(gr[j]);
            }
            if (!finite) counts[1]++;
            else if (s == 0) counts[0]++;
        }
    }
}
