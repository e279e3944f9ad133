package dev.feint.autograd;

import dev.feint.tensor.Arena;
import dev.feint.tensor.Tensor;

/** Numerically stable softmax and log-softmax along the last axis (max subtracted first). */
public final class Softmax {
    private Softmax() {}

    /**
     * Softmax along the last axis.
     *
     * @param a scores, any rank
     * @return softmax(a), each row summing to 1, recorded for backprop
     */
    public static Tensor softmax(Tensor a) {
        int n = a.dim(-1), rows = a.size() / Math.max(1, n);
        float[] x = a.data(), y = Arena.floats(x.length);
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            float m = rowMax(x, o, n);
            double s = 0;
            for (int j = 0; j < n; j++) { y[o + j] = (float) Math.exp(x[o + j] - m); s += y[o + j]; }
            float inv = (float) (1 / s);
            for (int j = 0; j < n; j++) y[o + j] *= inv;
        }
        return Grad.record(new Tensor(a.shape(), y), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int r = 0; r < rows; r++) {
                    int o = r * n;
                    double dot = 0;
                    for (int j = 0; j < n; j++) dot += g[o + j] * y[o + j];
                    for (int j = 0; j < n; j++) ga[o + j] += y[o + j] * (g[o + j] - (float) dot);
                }
            }
        }, a);
    }

    /**
     * Log-softmax along the last axis.
     *
     * @param a scores, any rank
     * @return log softmax(a), recorded for backprop
     */
    public static Tensor logSoftmax(Tensor a) {
        int n = a.dim(-1), rows = a.size() / Math.max(1, n);
        float[] x = a.data(), y = Arena.floats(x.length);
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            float m = rowMax(x, o, n);
            double s = 0;
            for (int j = 0; j < n; j++) s += Math.exp(x[o + j] - m);
            // (x - m) - log s, not x - (m + log s): for large x the sum m + log s loses log s's digits.
            float logS = (float) Math.log(s);
            for (int j = 0; j < n; j++) y[o + j] = (x[o + j] - m) - logS;
        }
        return Grad.record(new Tensor(a.shape(), y), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int r = 0; r < rows; r++) {
                    int o = r * n;
                    double gs = 0;
                    for (int j = 0; j < n; j++) gs += g[o + j];
                    for (int j = 0; j < n; j++) ga[o + j] += g[o + j] - (float) Math.exp(y[o + j]) * (float) gs;
                }
            }
        }, a);
    }

    /** {@return the largest of x[o], ..., x[o + n - 1] (-inf for none): subtracted before exp so that it cannot overflow} */
    private static float rowMax(float[] x, int o, int n) {
        float m = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) m = Math.max(m, x[o + j]);
        return m;
    }
}
