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
 *
 * @param attack the attack's name
 * @param norm the attack's norm
 * @param eps the radius (NaN for minimum-norm and pixel attacks)
 * @param adversarial the adversarial batch [n, c, h, w], inside the bounds
 * @param success per example, whether the criterion is met (re-verified)
 * @param predictions per example, the class predicted on the adversarial input
 * @param confidence per example, its softmax probability
 * @param linf per example, the perturbation's Linf size
 * @param l2 per example, its L2 size
 * @param l0 per example, the coordinates changed by more than 1e-6
 * @param size per example, the size in the attack's norm
 * @param queries per example, the forward passes spent
 * @param gradients per example, the gradient evaluations spent
 * @param brokenBy per example, the stage that broke it (null for a single attack)
 * @param stageSeconds the seconds of each stage, in order (null for a single attack)
 */
public record AttackResult(String attack, Norm norm, float eps, Tensor adversarial, boolean[] success, int[] predictions,
                           float[] confidence, float[] linf, float[] l2, float[] l0, float[] size, int[] queries,
                           int[] gradients, String[] brokenBy, java.util.Map<String, Double> stageSeconds) {
    /**
     * A single attack's result (no stages).
     *
     * @param attack the attack's name
     * @param norm the attack's norm
     * @param eps the radius
     * @param adversarial the adversarial batch
     * @param success per example, whether the criterion is met
     * @param predictions per example, the adversarial prediction
     * @param confidence per example, its softmax probability
     * @param linf per example, the Linf size
     * @param l2 per example, the L2 size
     * @param l0 per example, the L0 size
     * @param size per example, the size in the attack's norm
     * @param queries per example, the queries spent
     * @param gradients per example, the gradients spent
     */
    public AttackResult(String attack, Norm norm, float eps, Tensor adversarial, boolean[] success, int[] predictions,
                        float[] confidence, float[] linf, float[] l2, float[] l0, float[] size, int[] queries, int[] gradients) {
        this(attack, norm, eps, adversarial, success, predictions, confidence, linf, l2, l0, size, queries, gradients, null, null);
    }

    /** {@return the number of examples} */
    public int n() { return success.length; }

    /** {@return the fraction of examples whose criterion is met} */
    public double successRate() {
        int s = 0;
        for (boolean b : success) if (b) s++;
        return n() == 0 ? 0 : (double) s / n();
    }

    /** {@return the queries spent on the whole batch} */
    public long totalQueries() {
        long t = 0;
        for (int q : queries) t += q;
        return t;
    }

    /** {@return the gradient evaluations spent on the whole batch} */
    public long totalGradients() {
        long t = 0;
        for (int g : gradients) t += g;
        return t;
    }
}
