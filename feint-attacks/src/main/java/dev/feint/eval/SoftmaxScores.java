package dev.feint.eval;

import dev.feint.autograd.Reductions;
import dev.feint.data.Batch;
import dev.feint.data.Batches;
import dev.feint.data.Dataset;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

import java.util.Arrays;

/**
 * A model's scores for a set of inputs, as AUCs need them: the log-softmax [n, k] and the
 * predictions. Log-softmax ranks exactly as softmax does but does not saturate: a float softmax
 * rounds every confident prediction to 1.0 (and its rivals to 0), which would turn most of them
 * into ties. Computed in double per row as {@code z_c - max - log1p(sum over the rest of
 * exp(z_j - max))}, so the top class keeps full relative precision.
 */
final class SoftmaxScores {
    private final float[] logProb;
    private final int[] predictions;
    private final int k;

    private SoftmaxScores(float[] logProb, int[] predictions, int k) {
        this.logProb = logProb;
        this.predictions = predictions;
        this.k = k;
    }

    /** Scores of x [N, C, H, W] in batches of batchSize. */
    static SoftmaxScores of(Model model, Tensor x, int batchSize) {
        int n = x.dim(0), d = model.inputSize(), k = model.numClasses();
        float[] lp = new float[n * k];
        int[] pred = new int[n];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Tensor xb = Tensor.of(Arrays.copyOfRange(x.data(), from * d, to * d), to - from, x.dim(1), x.dim(2), x.dim(3));
            Tensor logits = model.logits(xb);
            System.arraycopy(Reductions.argmaxLast(logits), 0, pred, from, to - from);
            float[] z = logits.data();
            for (int i = 0; i < to - from; i++) logSoftmaxRow(z, i * k, k, lp, (from + i) * k);
        }
        return new SoftmaxScores(lp, pred, k);
    }

    /** Scores of every example of {@code data}, read batch by batch. */
    static SoftmaxScores of(Model model, Dataset data, int batchSize) {
        int n = data.size(), k = model.numClasses();
        float[] lp = new float[Math.multiplyExact(n, k)];
        int[] pred = new int[n];
        for (Batch b : Batches.inOrder(data, batchSize).prefetched().epoch(0)) {
            int from = b.indices()[0], m = b.size();
            Tensor logits = model.logits(b.x());
            System.arraycopy(Reductions.argmaxLast(logits), 0, pred, from, m);
            for (int i = 0; i < m; i++) logSoftmaxRow(logits.data(), i * k, k, lp, (from + i) * k);
        }
        return new SoftmaxScores(lp, pred, k);
    }

    static void logSoftmaxRow(float[] z, int off, int k, float[] out, int outOff) {
        int top = off;
        for (int j = off + 1; j < off + k; j++) if (z[j] > z[top]) top = j;
        double max = z[top], rest = 0;
        for (int j = off; j < off + k; j++) if (j != top) rest += Math.exp(z[j] - max);
        double lse = Math.log1p(rest);
        for (int j = 0; j < k; j++) out[outOff + j] = (float) (z[off + j] - max - lse);
    }

    int[] predictions() { return predictions; }

    int classes() { return k; }

    /** The row-major [n, k] log-softmax (shared, not copied). */
    float[] logProb() { return logProb; }

    /** Log of the max softmax probability of example i: the model's confidence. */
    double confidence(int i) {
        float best = logProb[i * k];
        for (int c = 1; c < k; c++) best = Math.max(best, logProb[i * k + c]);
        return best;
    }

    /** These scores with row i replaced by {@code other}'s where {@code take[i]}. */
    SoftmaxScores mixed(SoftmaxScores other, boolean[] take) {
        float[] lp = logProb.clone();
        int[] pred = predictions.clone();
        for (int i = 0; i < take.length; i++)
            if (take[i]) {
                System.arraycopy(other.logProb, i * k, lp, i * k, k);
                pred[i] = other.predictions[i];
            }
        return new SoftmaxScores(lp, pred, k);
    }
}
