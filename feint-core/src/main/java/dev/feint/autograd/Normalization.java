package dev.feint.autograd;

import dev.feint.tensor.Tensor;

/** Batch normalisation over [n, c, ...]: statistics per channel over n and the spatial axes. */
public final class Normalization {
    private Normalization() {}

    /**
     * In training mode uses batch statistics and updates the running ones in place
     * (momentum as PyTorch: running = (1-m) running + m batch, unbiased variance); in eval mode uses
     * the running statistics.
     */
    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, float[] runMean, float[] runVar,
                                   boolean training, float momentum, float eps) {
        if (x.rank() < 2) throw new IllegalArgumentException("batchNorm needs [n,c,...], got " + x.shape());
        int n = x.dim(0), c = x.dim(1), s = x.size() / Math.max(1, n * c);
        if (gamma.size() != c || beta.size() != c)
            throw new IllegalArgumentException("batchNorm has " + gamma.size() + " channels, input has " + c);
        int count = n * s;
        if (training && count < 2)
            throw new IllegalArgumentException("batchNorm in training mode needs more than one value per channel, got " + x.shape());
        float[] xd = x.data(), y = new float[xd.length], xhat = new float[xd.length];
        float[] invStd = new float[c], g = gamma.data(), b = beta.data();
        for (int ch = 0; ch < c; ch++) {
            float mean, var;
            if (training) {
                double sum = 0, sq = 0;
                for (int i = 0; i < n; i++) {
                    int o = (i * c + ch) * s;
                    for (int j = 0; j < s; j++) sum += xd[o + j];
                }
                double mu = sum / count;
                for (int i = 0; i < n; i++) {
                    int o = (i * c + ch) * s;
                    for (int j = 0; j < s; j++) { double d = xd[o + j] - mu; sq += d * d; }
                }
                mean = (float) mu;
                var = (float) (sq / count);
                runMean[ch] = (1 - momentum) * runMean[ch] + momentum * mean;
                runVar[ch] = (1 - momentum) * runVar[ch] + momentum * (float) (sq / (count - 1));
            } else {
                mean = runMean[ch];
                var = runVar[ch];
            }
            float is = (float) (1 / Math.sqrt(var + eps));
            invStd[ch] = is;
            for (int i = 0; i < n; i++) {
                int o = (i * c + ch) * s;
                for (int j = 0; j < s; j++) {
                    float h = (xd[o + j] - mean) * is;
                    xhat[o + j] = h;
                    y[o + j] = g[ch] * h + b[ch];
                }
            }
        }
        return Grad.record(new Tensor(x.shape(), y), new Node(x, gamma, beta) {
            @Override protected void backward(Tensor t, float[] go) {
                float[] gx = needs(x) ? x.gradBuffer() : null;
                float[] gg = needs(gamma) ? gamma.gradBuffer() : null;
                float[] gb = needs(beta) ? beta.gradBuffer() : null;
                for (int ch = 0; ch < c; ch++) {
                    double sg = 0, sgh = 0;
                    for (int i = 0; i < n; i++) {
                        int o = (i * c + ch) * s;
                        for (int j = 0; j < s; j++) { sg += go[o + j]; sgh += go[o + j] * xhat[o + j]; }
                    }
                    if (gg != null) gg[ch] += (float) sgh;
                    if (gb != null) gb[ch] += (float) sg;
                    if (gx == null) continue;
                    float k = g[ch] * invStd[ch];
                    if (training) {
                        float mg = (float) (sg / count), mgh = (float) (sgh / count);
                        for (int i = 0; i < n; i++) {
                            int o = (i * c + ch) * s;
                            for (int j = 0; j < s; j++) gx[o + j] += k * (go[o + j] - mg - xhat[o + j] * mgh);
                        }
                    } else {
                        for (int i = 0; i < n; i++) {
                            int o = (i * c + ch) * s;
                            for (int j = 0; j < s; j++) gx[o + j] += k * go[o + j];
                        }
                    }
                }
            }
        }, x, gamma, beta);
    }

    /** Multiplies by a fixed 0/scale mask (inverted dropout); the mask is chosen by the caller. */
    public static Tensor dropout(Tensor x, float[] mask) {
        if (mask.length != x.size()) throw new IllegalArgumentException("dropout mask size mismatch");
        float[] xd = x.data(), y = new float[xd.length];
        for (int i = 0; i < y.length; i++) y[i] = xd[i] * mask[i];
        return Grad.record(new Tensor(x.shape(), y), new Node(x) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] gx = x.gradBuffer();
                for (int i = 0; i < g.length; i++) gx[i] += g[i] * mask[i];
            }
        }, x);
    }
}
