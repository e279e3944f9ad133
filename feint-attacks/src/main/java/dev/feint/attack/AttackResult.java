package dev.feint.attack;

import dev.feint.tensor.Tensor;

/**
 * The outcome of one attack on a batch, per example: the adversarial input, whether it meets
 * the criterion (from a fresh forward pass, not the attack's own bookkeeping), the predicted
 * class and its softmax confidence, the perturbation's Linf, L2 and L0 sizes (L0 counts
 * coordinates changed by more than 1e-6) and size in the attack's norm, and the queries and
 * gradient evaluations spent on it. A composite attack (AutoAttack) also says per example which
 * stage broke it ({@code brokenBy}, null entries for none) and the seconds each stage took, in
 * order; both are null for a single attack.
 */
public record AttackResult(String attack, Norm norm, float eps, Tensor adversarial, boolean[] success, int[] predictions,
                           float[] confidence, float[] linf, float[] l2, float[] l0, float[] size, int[] queries,
                           int[] gradients, String[] brokenBy, java.util.Map<String, Double> stageSeconds) {
    /** A single attack's result (no stages). */
    public AttackResult(String attack, Norm norm, float eps, Tensor adversarial, boolean[] success, int[] predictions,
                        float[] confidence, float[] linf, float[] l2, float[] l0, float[] size, int[] queries, int[] gradients) {
        this(attack, norm, eps, adversarial, success, predictions, confidence, linf, l2, l0, size, queries, gradients, null, null);
    }

    public int n() { return success.length; }

    public double successRate() {
        int s = 0;
        for (boolean b : success) if (b) s++;
        return n() == 0 ? 0 : (double) s / n();
    }

    public long totalQueries() {
        long t = 0;
        for (int q : queries) t += q;
        return t;
    }

    public long totalGradients() {
        long t = 0;
        for (int g : gradients) t += g;
        return t;
    }
}
