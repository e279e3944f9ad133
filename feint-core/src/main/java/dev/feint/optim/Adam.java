package dev.feint.optim;

import dev.feint.tensor.Tensor;

import java.util.List;

/** Adam (Kingma and Ba, 2015) and AdamW (decoupled weight decay, Loshchilov and Hutter, 2019). */
public final class Adam extends Optimizer {
    private final float beta1, beta2, eps, weightDecay;
    private final boolean decoupled;
    private final float[][] m, v;
    private long t;

    /**
     * An Adam optimizer over the given parameters.
     *
     * @param params the parameters to update (copied; their order indexes {@link #state()})
     * @param lr the learning rate, above 0
     * @param beta1 decay of the first-moment (mean) estimate, 0.9 in the paper
     * @param beta2 decay of the second-moment (uncentred variance) estimate, 0.999 in the paper
     * @param eps added to the root of the second moment so a step never divides by 0
     * @param weightDecay the L2 weight decay coefficient (0 for none)
     * @param decoupled true for AdamW (decay applied to the weights directly), false for Adam's
     *        coupled L2 term added to the gradient
     */
    public Adam(List<Tensor> params, float lr, float beta1, float beta2, float eps, float weightDecay, boolean decoupled) {
        super(params, lr);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.decoupled = decoupled;
        this.m = new float[this.params.size()][];
        this.v = new float[this.params.size()][];
    }

    /**
     * Adam with the paper's defaults (betas 0.9 and 0.999, eps 1e-8) and no weight decay.
     *
     * @param params the parameters to update
     * @param lr the learning rate, above 0
     * @return the optimizer
     */
    public static Adam adam(List<Tensor> params, float lr) { return new Adam(params, lr, 0.9f, 0.999f, 1e-8f, 0f, false); }

    /**
     * AdamW: Adam's defaults with decoupled weight decay.
     *
     * @param params the parameters to update
     * @param lr the learning rate, above 0
     * @param weightDecay the decoupled decay coefficient (the weights shrink by lr * weightDecay a step)
     * @return the optimizer
     */
    public static Adam adamW(List<Tensor> params, float lr, float weightDecay) {
        return new Adam(params, lr, 0.9f, 0.999f, 1e-8f, weightDecay, true);
    }

    @Override public void step() {
        t++;
        float bc1 = 1 - (float) Math.pow(beta1, t), bc2 = 1 - (float) Math.pow(beta2, t);
        for (int k = 0; k < params.size(); k++) {
            Tensor p = params.get(k);
            float[] g = p.grad(), w = p.data();
            if (g == null) continue;
            if (m[k] == null) { m[k] = new float[w.length]; v[k] = new float[w.length]; }
            float[] mk = m[k], vk = v[k];
            for (int i = 0; i < w.length; i++) {
                float gi = g[i];
                if (decoupled) w[i] -= lr * weightDecay * w[i];
                else gi += weightDecay * w[i];
                mk[i] = beta1 * mk[i] + (1 - beta1) * gi;
                vk[i] = beta2 * vk[i] + (1 - beta2) * gi * gi;
                w[i] -= lr * (mk[i] / bc1) / ((float) Math.sqrt(vk[i] / bc2) + eps);
            }
            p.markModified();
        }
    }

    @Override public float[][] state() {
        float[][] s = new float[2 * m.length + 1][];
        for (int i = 0; i < m.length; i++) {
            s[2 * i] = m[i] == null ? null : m[i].clone();
            s[2 * i + 1] = v[i] == null ? null : v[i].clone();
        }
        s[s.length - 1] = new float[] {Float.intBitsToFloat((int) t), Float.intBitsToFloat((int) (t >>> 32))};
        return s;
    }

    @Override public void loadState(float[][] s) {
        for (int i = 0; i < m.length; i++) {
            m[i] = s[2 * i] == null ? null : s[2 * i].clone();
            v[i] = s[2 * i + 1] == null ? null : s[2 * i + 1].clone();
        }
        float[] tt = s[s.length - 1];
        t = (Float.floatToRawIntBits(tt[0]) & 0xffffffffL) | ((long) Float.floatToRawIntBits(tt[1]) << 32);
    }
}
