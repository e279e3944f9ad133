package dev.feint.eval.audit;

import dev.feint.attack.Norm;
import dev.feint.data.Batch;
import dev.feint.model.Bounds;
import dev.feint.tensor.Tensor;

import java.util.Map;
import java.util.SplittableRandom;

/**
 * Check 5 (arXiv:1902.06705, section 5.2): uniform random noise in the same eps-ball is the
 * weakest attack there is, so it must not break an example the gradient attacks left robust;
 * if it does, the attack is broken. Draws {@link AuditBudget#noiseDraws()} uniform samples of the
 * ball per example (an example survives noise when every draw is classified correctly), each
 * example with its own seeded stream, and reports the accuracy under noise.
 */
public final class NoiseCheck implements AuditCheck {
    /** The check's id. */
    public static final String ID = "noise";

    /** The check; it keeps no state, so one instance serves any number of audits. */
    public NoiseCheck() {}

    /** Noise breaking even one example the attack missed says the attack skipped an easy point. */
    public static final double WARN_ABOVE = 0.0;
    /** More than one in a hundred: the attack is not searching the ball at all. */
    public static final double FAIL_ABOVE = 0.01;

    @Override public String id() { return ID; }

    @Override public CheckResult run(AuditRun a) {
        boolean[] white = a.whiteBoxRobust();
        AuditRun.Run noise = a.custom("uniform-noise-x" + a.budget().noiseDraws(), AuditRun.Kind.NOISE, a.eps(),
                () -> survivesNoise(a, a.budget().noiseDraws()));
        return judge(AuditRun.brokenOnlyBy(white, noise.robust()), noise.robustAccuracy(), AuditRun.accuracy(white));
    }

    /**
     * From the fraction of examples noise broke that the white-box attacks did not, and both accuracies.
     *
     * @param brokenOnlyByNoise fraction broken by noise and by no white-box attack
     * @param noiseAccuracy accuracy under noise
     * @param whiteBox the white-box worst-case robust accuracy
     * @return the verdict
     */
    public static CheckResult judge(double brokenOnlyByNoise, double noiseAccuracy, double whiteBox) {
        Grade g = Grade.higherIsWorse(brokenOnlyByNoise, WARN_ABOVE, FAIL_ABOVE);
        String msg = switch (g.verdict()) {
            case PASS -> "accuracy under random noise (" + Grade.pct(noiseAccuracy) + ") stays above the robust accuracy ("
                    + Grade.pct(whiteBox) + "), as it must.";
            case WARN, FAIL -> "random noise breaks " + Grade.pct(brokenOnlyByNoise) + " of the examples the gradient attacks left "
                    + "robust, so the attack misses easy points: check its step size and loss, and suspect masked gradients.";
        };
        return new CheckResult(ID, "Random noise is weaker than the attack", g.verdict(), "examples broken by noise only",
                brokenOnlyByNoise, g.threshold(), msg, Map.of("noiseAccuracy", noiseAccuracy, "whiteBoxRobustAccuracy", whiteBox));
    }

    /**
     * Per example: classified correctly under every one of {@code draws} uniform samples of the eps-ball.
     * Each batch is read once and takes its draws in turn; every example has its own stream.
     */
    static boolean[] survivesNoise(AuditRun a, int draws) {
        int n = a.size(), d = a.model().inputSize();
        Norm norm = a.norm();
        Bounds bounds = a.model().bounds();
        boolean[] ok = new boolean[n];
        java.util.Arrays.fill(ok, true);
        float[] row0 = new float[d], row = new float[d];
        for (Batch b : a.batches()) {
            int from = b.indices()[0], m = b.size();
            float[] x0 = b.x().data();
            SplittableRandom[] rng = new SplittableRandom[m];
            for (int i = 0; i < m; i++) rng[i] = new SplittableRandom(a.seed() ^ (0x9E3779B97F4A7C15L * (from + i + 1)));
            for (int t = 0; t < draws; t++) {
                float[] noisy = new float[m * d];
                for (int i = 0; i < m; i++) {
                    System.arraycopy(x0, i * d, row0, 0, d);
                    norm.randomStart(row, row0, 1, d, a.eps(), rng[i]);
                    bounds.clamp(row, 0, d);
                    System.arraycopy(row, 0, noisy, i * d, d);
                }
                int[] p = dev.feint.autograd.Reductions.argmaxLast(a.model().logits(Tensor.of(noisy, b.x().dims())));
                for (int i = 0; i < m; i++) ok[from + i] &= p[i] == b.y()[i];
            }
        }
        return ok;
    }
}
