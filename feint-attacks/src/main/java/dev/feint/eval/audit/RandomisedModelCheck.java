package dev.feint.eval.audit;

import dev.feint.attack.AttackSpec;
import dev.feint.data.Batch;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

import java.util.Map;

/**
 * Check 7 (AutoAttack's "randomized defenses" flag, arXiv:2003.01690; Athalye, Carlini and Wagner,
 * arXiv:1802.00420, on expectation over transformation): a model whose outputs change from one
 * forward pass to the next on the same input (a random input transformation, dropout left on) fools
 * attacks that follow one sample of its gradient; it must be attacked with EOT, the gradient
 * averaged over many draws (AutoAttack's rand version). Runs {@link AuditBudget#probePasses()}
 * forward passes and compares the L2-normalised outputs, as AutoAttack does; when they differ it
 * runs the rand version, whose successes count in the audit's robust accuracy.
 */
public final class RandomisedModelCheck implements AuditCheck {
    /** The check's id. */
    public static final String ID = "randomised";

    /** The check; it keeps no state, so one instance serves any number of audits. */
    public RandomisedModelCheck() {}

    /** AutoAttack's alpha: deterministic kernels repeat bit for bit, so anything above float noise is randomness. */
    public static final double TOLERANCE = 1e-4;

    /**
     * What the probe saw: the largest L2 distance between two passes' normalised output rows, and
     * the fraction of examples whose predicted class changed between passes.
     *
     * @param passes forward passes on the same inputs
     * @param maxDifference the largest L2 distance between two passes' normalised rows
     * @param predictionsChanged the fraction of examples whose prediction changed
     */
    public record Probe(int passes, double maxDifference, double predictionsChanged) {
        /** {@return whether the passes differ beyond {@link #TOLERANCE} or any prediction changed} */
        public boolean randomised() { return maxDifference > TOLERANCE || predictionsChanged > 0; }
    }

    @Override public String id() { return ID; }

    @Override public CheckResult run(AuditRun a) {
        Probe p = a.probe();
        if (!p.randomised()) return judge(p, Double.NaN);
        AuditRun.Run rand = a.attack("autoattack-rand", AuditRun.Kind.WHITE_BOX, AttackSpec.of("autoattack").eps(a.eps())
                .with("version", "rand").with("steps", a.budget().strongSteps()));
        return judge(p, rand.robustAccuracy());
    }

    /**
     * From the probe, and the robust accuracy under AutoAttack's rand version (APGD-CE and
     * APGD-DLR with EOT over 20 draws), NaN when it did not run.
     *
     * @param p what the probe saw
     * @param randRobustAccuracy robust accuracy under the randomness-aware attack, NaN when not run
     * @return the verdict
     */
    public static CheckResult judge(Probe p, double randRobustAccuracy) {
        boolean eot = !Double.isNaN(randRobustAccuracy);
        Map<String, Object> details = Map.of("passes", (long) p.passes(), "predictionsChanged", p.predictionsChanged(), "eot", eot,
                "randRobustAccuracy", randRobustAccuracy);
        String title = "Deterministic model, or EOT";
        if (!p.randomised())
            return new CheckResult(ID, title, Verdict.PASS, "largest change of the normalised output between passes", p.maxDifference(),
                    TOLERANCE, CheckResult.Unit.VALUE, "the model gives the same output every time: the standard (deterministic) attacks apply.", details);
        Verdict v = eot ? Verdict.WARN : Verdict.FAIL;
        String msg = eot ? "the model is randomised (outputs change between passes), so the audit ran AutoAttack's rand version "
                + "(APGD with EOT over 20 draws; robust accuracy " + Grade.pct(randRobustAccuracy) + "): evaluate it with "
                + "--attacks autoattack --version rand, never with deterministic attacks alone."
                : "the model is randomised (outputs change between passes): a deterministic attack overstates its robustness, so the "
                + "rand version (APGD with EOT over 20 draws) is required.";
        return new CheckResult(ID, title, v, "largest change of the normalised output between passes", p.maxDifference(), TOLERANCE,
                CheckResult.Unit.VALUE, msg, details);
    }

    /**
     * Runs {@code passes} forward passes over the n examples of {@code batches} and compares them. Each
     * pass reads the data once more: a randomised model draws in the order of whole passes.
     */
    static Probe measure(Model m, Iterable<Batch> batches, int n, int passes) {
        int k = m.numClasses();
        float[][] out = new float[passes][];
        int[][] pred = new int[passes][];
        for (int t = 0; t < passes; t++) {
            float[] z = new float[Math.multiplyExact(n, k)];
            for (Batch b : batches) System.arraycopy(m.logits(b.x()).data(), 0, z, b.indices()[0] * k, b.size() * k);
            out[t] = z;
            pred[t] = dev.feint.autograd.Reductions.argmaxLast(Tensor.of(z, n, k));
        }
        double max = 0;
        int changed = 0;
        for (int i = 0; i < n; i++) {
            boolean ch = false;
            for (int t = 1; t < passes; t++) {
                ch |= pred[t][i] != pred[0][i];
                for (int s = 0; s < t; s++) max = Math.max(max, distance(out[s], out[t], i * k, k));
            }
            if (ch) changed++;
        }
        return new Probe(passes, max, n == 0 ? 0 : (double) changed / n);
    }

    /** L2 distance of the rows a[off..off+k) and b[off..off+k), each first divided by its L2 norm (plus 1e-10). */
    private static double distance(float[] a, float[] b, int off, int k) {
        double na = 0, nb = 0;
        for (int j = off; j < off + k; j++) {
            na += (double) a[j] * a[j];
            nb += (double) b[j] * b[j];
        }
        na = Math.sqrt(na) + 1e-10;
        nb = Math.sqrt(nb) + 1e-10;
        double s = 0;
        for (int j = off; j < off + k; j++) {
            double diff = a[j] / na - b[j] / nb;
            s += diff * diff;
        }
        return Math.sqrt(s);
    }
}
