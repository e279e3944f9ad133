package dev.feint.attack.gradient;

/**
 * TI-FGSM's smoothing of a gradient: each channel convolved (zero padding, same size) with a
 * normalised Gaussian kernel of odd size k sampled at k points evenly spaced in [-nsig, nsig] (the
 * reference code's kernel). The kernel is the outer product of a 1-D kernel, so the convolution is
 * done as two 1-D passes, equal to the direct 2-D one up to rounding.
 */
final class GaussianSmoothing {
    private final float[] k1;
    private final int r;

    GaussianSmoothing(int size, float nsig) {
        if (size < 1 || size % 2 == 0) throw new IllegalArgumentException("kernel size " + size + " is not odd");
        k1 = kernel1d(size, nsig);
        r = size / 2;
    }

    /** The normalised 1-D kernel (sums to 1); the 2-D kernel is its outer product. */
    static float[] kernel1d(int size, float nsig) {
        double[] v = new double[size];
        double s = 0;
        for (int i = 0; i < size; i++) {
            double t = size == 1 ? 0 : -nsig + 2.0 * nsig * i / (size - 1);
            s += v[i] = Math.exp(-0.5 * t * t);
        }
        float[] k = new float[size];
        for (int i = 0; i < size; i++) k[i] = (float) (v[i] / s);
        return k;
    }

    /** g [n, c, h, w] smoothed in place (tmp: a scratch row of h * w). */
    void smooth(float[] g, int n, int c, int h, int w) {
        float[] tmp = new float[h * w];
        for (int p = 0; p < n * c; p++) {
            int off = p * h * w;
            for (int y = 0; y < h; y++) // along rows
                for (int x = 0; x < w; x++) {
                    float s = 0f;
                    for (int t = -r; t <= r; t++) {
                        int xx = x + t;
                        if (xx >= 0 && xx < w) s += k1[t + r] * g[off + y * w + xx];
                    }
                    tmp[y * w + x] = s;
                }
            for (int y = 0; y < h; y++) // along columns
                for (int x = 0; x < w; x++) {
                    float s = 0f;
                    for (int t = -r; t <= r; t++) {
                        int yy = y + t;
                        if (yy >= 0 && yy < h) s += k1[t + r] * tmp[yy * w + x];
                    }
                    g[off + y * w + x] = s;
                }
        }
    }
}
