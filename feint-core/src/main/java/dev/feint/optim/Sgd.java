package dev.feint.optim;

import dev.feint.tensor.Parallel;
import dev.feint.tensor.Tensor;

import java.util.List;

/** SGD with optional momentum, Nesterov momentum and (coupled) weight decay, as torch.optim.SGD. */
public final class Sgd extends Optimizer {
    private final float momentum, weightDecay;
    private final boolean nesterov;
    private final float[][] velocity;

    /**
     * An SGD optimizer over the given parameters.
     *
     * @param params the parameters to update
     * @param lr the learning rate, above 0
     * @param momentum the momentum factor, 0 for plain SGD
     * @param nesterov true for Nesterov momentum (needs momentum above 0)
     * @param weightDecay the L2 coefficient added to the gradient, 0 for none
     * @throws IllegalArgumentException if momentum or weight decay is negative, or Nesterov is
     *         asked without momentum
     */
    public Sgd(List<Tensor> params, float lr, float momentum, boolean nesterov, float weightDecay) {
        super(params, lr);
        if (momentum < 0 || weightDecay < 0) throw new IllegalArgumentException("momentum and weight decay must be >= 0");
        if (nesterov && momentum == 0) throw new IllegalArgumentException("Nesterov needs momentum > 0");
        this.momentum = momentum;
        this.nesterov = nesterov;
        this.weightDecay = weightDecay;
        this.velocity = new float[this.params.size()][];
    }

    @Override public void step() {
        for (int k = 0; k < params.size(); k++) {
            Tensor p = params.get(k);
            float[] g = p.grad(), w = p.data();
            if (g == null) continue;
            if (momentum != 0 && velocity[k] == null) velocity[k] = new float[w.length];
            float[] v = velocity[k];
            // Element by element, so the split over the threads does not change a bit; a big
            // layer's update alone (madry-cnn's 3.2 M linear weights) was 2% of a training step.
            Parallel.forRange(w.length, Parallel.grain(4), (chunk, from, to) -> update(g, w, v, from, to));
            p.markModified();
        }
    }

    private void update(float[] g, float[] w, float[] v, int from, int to) {
        for (int i = from; i < to; i++) {
            float d = g[i] + weightDecay * w[i];
            if (momentum != 0) {
                v[i] = momentum * v[i] + d;
                d = nesterov ? d + momentum * v[i] : v[i];
            }
            w[i] -= lr * d;
        }
    }

    @Override public float[][] state() {
        float[][] s = new float[velocity.length][];
        for (int i = 0; i < s.length; i++) s[i] = velocity[i] == null ? null : velocity[i].clone();
        return s;
    }

    @Override public void loadState(float[][] state) {
        for (int i = 0; i < velocity.length; i++) velocity[i] = state[i] == null ? null : state[i].clone();
    }
}
