package dev.feint.model;

import dev.feint.autograd.Grad;
import dev.feint.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * One forward and backward pass for {@link DifferentiableModel#gradient}: the parameters are
 * frozen meanwhile (only input gradients are computed, a training loop's parameter gradients
 * are left alone), and the model's lock is held since its graph state is shared.
 */
public final class InputGradients {
    private InputGradients() {}

    public static DifferentiableModel.Gradient compute(Object lock, List<Tensor> params, UnaryOperator<Tensor> forward,
                                                       Tensor x, LossFunction loss, float[] into) {
        if (!Grad.enabled()) throw new IllegalStateException("gradient() called inside a Grad.noGrad() scope");
        if (into != null) {
            if (into.length != x.size()) throw new IllegalArgumentException("gradient buffer of " + into.length + " for " + x.shape());
            Arrays.fill(into, 0f);
        }
        Tensor leaf = new Tensor(x.shape(), x.data()).requiresGrad(true);
        if (into != null) leaf.setGrad(into);
        synchronized (lock) {
            boolean[] was = new boolean[params.size()];
            for (int i = 0; i < was.length; i++) {
                was[i] = params.get(i).requiresGrad();
                params.get(i).requiresGrad(false);
            }
            try {
                Tensor z = forward.apply(leaf);
                Tensor l = loss.apply(z);
                if (l.rank() != 1 || l.dim(0) != x.dim(0))
                    throw new IllegalArgumentException("loss must be per example [" + x.dim(0) + "], got " + l.shape());
                l.sum().backward();
                float[] g = leaf.grad() != null ? leaf.grad() : (into != null ? into : new float[x.size()]);
                return new DifferentiableModel.Gradient(z.detach(), l.data(), g);
            } finally {
                for (int i = 0; i < was.length; i++) params.get(i).requiresGrad(was[i]);
            }
        }
    }
}
