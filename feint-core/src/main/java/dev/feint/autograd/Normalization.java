package dev.feint.autograd;

import dev.feint.tensor.Arena;
import dev.feint.tensor.Tensor;
import dev.feint.tensor.kernels.BatchNormKernels;

/** Batch normalisation over [n, c, ...]: statistics per channel over n and the spatial axes. */
public final class Normalization {
    private Normalization() {}

    /**
     * In training mode uses batch statistics and updates the running ones in place
     * (momentum as PyTorch: running = (1-m) running + m batch, unbiased variance); in eval mode uses
     * the running statistics.
     *
     * @param x the input [n, c, h, w] (or [n, c])
     * @param gamma the per-channel scale [c]
     * @param beta the per-channel shift [c]
     * @param runMean the running means [c], updated in place in training mode
     * @param runVar the running variances [c], updated in place in training mode
     * @param training true to normalise with the batch's statistics
     * @param momentum the running statistics' update weight (0.1 in PyTorch)
     * @param eps added to the variance before its root
     * @return the normalised tensor, recorded for backprop
     */
    public static Tensor batchNorm(Tensor x, Tensor gamma, Tensor beta, float[] runMean, float[] runVar,
                                   boolean training, float momentum, float eps) {
        return normalize(x, gamma, beta, runMean, runVar, training, momentum, eps, false);
    }

    /**
     * relu(batchNorm(...)) in one op (a pre-activation block's BN + ReLU): the same values and
     * gradients without the normalised intermediate, its gradient, or a stored copy of x - mean.
     *
     * @param x the input [n, c, h, w] (or [n, c])
     * @param gamma the per-channel scale [c]
     * @param beta the per-channel shift [c]
     * @param runMean the running means [c], updated in place in training mode
     * @param runVar the running variances [c], updated in place in training mode
     * @param training true to normalise with the batch's statistics
     * @param momentum the running statistics' update weight (0.1 in PyTorch)
     * @param eps added to the variance before its root
     * @return relu of the normalised tensor, recorded for backprop
     */
    public static Tensor batchNormRelu(Tensor x, Tensor gamma, Tensor beta, float[] runMean, float[] runVar,
                                       boolean training, float momentum, float eps) {
        return normalize(x, gamma, beta, runMean, runVar, training, momentum, eps, true);
    }

    private static Tensor normalize(Tensor x, Tensor gamma, Tensor beta, float[] runMean, float[] runVar,
                                    boolean training, float momentum, float eps, boolean relu) {
        if (x.rank() < 2) throw new IllegalArgumentException("batchNorm needs [n,c,...], got " + x.shape());
        int n = x.dim(0), c = x.dim(1), s = x.size() / Math.max(1, n * c);
        if (gamma.size() != c || beta.size() != c)
            throw new IllegalArgumentException("batchNorm has " + gamma.size() + " channels, input has " + c);
        int count = n * s;
        if (training && count < 2)
            throw new IllegalArgumentException("batchNorm in training mode needs more than one value per channel, got " + x.shape());
        float[] nhwc = training || Grad.recording(x, gamma, beta) ? null : x.channelsLastData();
        float[] xd = nhwc != null ? nhwc : x.data(), g = gamma.data(), b = beta.data();
        float[] mean = new float[c], invStd = new float[c], scale = new float[c], shift = new float[c];
        double[] batchMean = training ? new double[c] : null, batchVar = training ? new double[c] : null;
        if (training) BatchNormKernels.statistics(xd, n, c, s, batchMean, batchVar);
        for (int ch = 0; ch < c; ch++) {
            float var;
            if (training) {
                mean[ch] = (float) batchMean[ch];
                var = (float) batchVar[ch];
                runMean[ch] = (1 - momentum) * runMean[ch] + momentum * mean[ch];
                runVar[ch] = (1 - momentum) * runVar[ch] + momentum * (float) (batchVar[ch] * count / (count - 1));
            } else {
                mean[ch] = runMean[ch];
                var = runVar[ch];
            }
            invStd[ch] = (float) (1 / Math.sqrt(var + eps));
            scale[ch] = g[ch] * invStd[ch];
            shift[ch] = b[ch] - mean[ch] * scale[ch];
        }
        float[] y = Arena.floats(xd.length);
        if (nhwc != null) {
            // Inference on a channels-last activation: normalised where it is, no transpose either way.
            BatchNormKernels.affineChannelsLast(nhwc, n * s, c, scale, shift, relu, y);
            return Tensor.channelsLast(x.shape(), y);
        }
        BatchNormKernels.affine(xd, n, c, s, scale, shift, relu, y);
        return Grad.record(new Tensor(x.shape(), y), new Node(x, gamma, beta) {
            @Override protected void backward(Tensor t, float[] go) {
                boolean nx = needs(x), ng = needs(gamma), nb = needs(beta);
                float[] mask = relu ? y : null;
                double[] sg = new double[c], sgd = new double[c];
                if (ng || nb || (nx && training)) BatchNormKernels.gradientSums(go, mask, xd, mean, n, c, s, sg, sgd);
                if (ng) {
                    float[] gg = gamma.gradBuffer();
                    for (int ch = 0; ch < c; ch++) gg[ch] += (float) (sgd[ch] * invStd[ch]);   // sum of dz * xhat
                }
                if (nb) {
                    float[] gb = beta.gradBuffer();
                    for (int ch = 0; ch < c; ch++) gb[ch] += (float) sg[ch];
                }
                if (!nx) return;
                float[] d = new float[c], e = new float[c];
                if (training)   // gx = k * (dz - mean(dz) - xhat * mean(dz * xhat))
                    for (int ch = 0; ch < c; ch++) {
                        d[ch] = (float) (-scale[ch] * sg[ch] / count);
                        e[ch] = (float) (scale[ch] * invStd[ch] * invStd[ch] * sgd[ch] / count);
                    }
                BatchNormKernels.inputGradient(go, mask, xd, mean, scale, d, e, n, c, s, x.gradBuffer());
            }
        }, x, gamma, beta);
    }

    /**
     * Multiplies by a fixed 0/scale mask (inverted dropout); the mask is chosen by the caller.
     *
     * @param x the input
     * @param mask 0 or 1/(1-p) per element, of x's size
     * @return x * mask, recorded for backprop
     */
    public static Tensor dropout(Tensor x, float[] mask) {
        if (mask.length != x.size()) throw new IllegalArgumentException("dropout mask size mismatch");
        float[] xd = x.data(), y = Arena.floats(xd.length);
        for (int i = 0; i < y.length; i++) y[i] = xd[i] * mask[i];
        return Grad.record(new Tensor(x.shape(), y), new Node(x) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] gx = x.gradBuffer();
                for (int i = 0; i < g.length; i++) gx[i] += g[i] * mask[i];
            }
        }, x);
    }
}
