package dev.feint.tensor.kernels;

/** Plain scalar loops with {@link BatchNormKernels}' contract, for tests (sums in double throughout). */
public final class BatchNormReference {
    private BatchNormReference() {}

    /**
     * As {@link BatchNormKernels#statistics}, in plain loops.
     *
     * @param x the input [n, c, s]
     * @param n images
     * @param c channels
     * @param s values per channel plane (h * w, or 1)
     * @param mean the per-channel means, written
     * @param var the per-channel biased variances, written
     */
    public static void statistics(float[] x, int n, int c, int s, double[] mean, double[] var) {
        for (int ch = 0; ch < c; ch++) {
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) sum += x[(i * c + ch) * s + j];
            double mu = sum / ((double) n * s);
            for (int i = 0; i < n; i++) for (int j = 0; j < s; j++) { double d = x[(i * c + ch) * s + j] - mu; sq += d * d; }
            mean[ch] = mu;
            var[ch] = sq / ((double) n * s);
        }
    }

    /**
     * As {@link BatchNormKernels#affine}, in plain loops.
     *
     * @param x the input [n, c, s]
     * @param n images
     * @param c channels
     * @param s values per channel plane (h * w, or 1)
     * @param scale the per-channel factor
     * @param shift the per-channel offset
     * @param relu clamp the result at 0
     * @param y the output [n, c, s], written (may be x)
     */
    public static void affine(float[] x, int n, int c, int s, float[] scale, float[] shift, boolean relu, float[] y) {
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int j = 0, o = (i * c + ch) * s; j < s; j++) {
                    float v = x[o + j] * scale[ch] + shift[ch];
                    y[o + j] = relu && v < 0f ? 0f : v;
                }
    }

    /**
     * As {@link BatchNormKernels#gradientSums}, in plain loops.
     *
     * @param go the output gradient
     * @param y the ReLU'd output, or null when there is no ReLU
     * @param x the forward's input [n, c, s]
     * @param mean the per-channel means
     * @param n images
     * @param c channels
     * @param s values per channel plane (h * w, or 1)
     * @param sg the per-channel sums of dz, written
     * @param sgd the per-channel sums of dz * (x - mean), written
     */
    public static void gradientSums(float[] go, float[] y, float[] x, float[] mean, int n, int c, int s, double[] sg, double[] sgd) {
        for (int ch = 0; ch < c; ch++) {
            double a = 0, b = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0, o = (i * c + ch) * s; j < s; j++) {
                    double dz = y == null || y[o + j] > 0f ? go[o + j] : 0;
                    a += dz;
                    b += dz * (x[o + j] - mean[ch]);
                }
            sg[ch] = a;
            sgd[ch] = b;
        }
    }

    /**
     * As {@link BatchNormKernels#inputGradient}, in plain loops.
     *
     * @param go the output gradient
     * @param y the ReLU'd output, or null when there is no ReLU
     * @param x the forward's input [n, c, s]
     * @param mean the per-channel means
     * @param k the per-channel factor of dz
     * @param d the per-channel constant term
     * @param e the per-channel factor of (x - mean)
     * @param n images
     * @param c channels
     * @param s values per channel plane (h * w, or 1)
     * @param gx the input gradient, added to
     */
    public static void inputGradient(float[] go, float[] y, float[] x, float[] mean, float[] k, float[] d, float[] e,
                                     int n, int c, int s, float[] gx) {
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int j = 0, o = (i * c + ch) * s; j < s; j++) {
                    double dz = y == null || y[o + j] > 0f ? go[o + j] : 0;
                    gx[o + j] += (float) (k[ch] * dz + d[ch] - e[ch] * (x[o + j] - (double) mean[ch]));
                }
    }
}
