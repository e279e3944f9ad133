package dev.feint.model;

import dev.feint.autograd.Backprop;
import dev.feint.autograd.Grad;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * The input-gradient passes a {@link DifferentiableModel} runs over its own forward function:
 * the parameters are frozen meanwhile (only input gradients are computed, and a training
 * loop's parameter gradients are left alone), under the model's lock.
 */
public final class InputGradients {
    private InputGradients() {}

    /**
     * {@link DifferentiableModel#gradient}: one forward and one backward pass of the per-example loss.
     *
     * @param lock what the passes synchronise on (the model)
     * @param params the model's parameters, frozen during the passes
     * @param forward the model's forward function, inputs to logits
     * @param x the inputs [n, ...]
     * @param loss the per-example loss of the logits
     * @param into a buffer of {@code x.size()} for the gradient, or null for a new one
     * @return the logits, per-example losses and the input gradient
     */
    public static DifferentiableModel.Gradient compute(Object lock, List<Tensor> params, UnaryOperator<Tensor> forward,
                                                       Tensor x, LossFunction loss, float[] into) {
        if (into != null) {
            if (into.length != x.size()) throw new IllegalArgumentException("gradient buffer of " + into.length + " for " + x.shape());
            Arrays.fill(into, 0f);
        }
        // The activations and intermediate gradients come from an Arena (reused by the next call
        // on this thread); what leaves the scope is copied out (logits, losses) or was allocated
        // outside it (the input's gradient: the caller's buffer or a leaf's own array).
        try (var arena = Arena.open()) {
            return frozen(lock, params, x, into, leaf -> {
                Tensor z = forward.apply(leaf);
                Tensor l = loss.apply(z);
                if (l.rank() != 1 || l.dim(0) != x.dim(0))
                    throw new IllegalArgumentException("loss must be per example [" + x.dim(0) + "], got " + l.shape());
                l.sum().backward();
                float[] g = leaf.grad() != null ? leaf.grad() : (into != null ? into : new float[x.size()]);
                return new DifferentiableModel.Gradient(z.copy(), l.data().clone(), g);
            });
        }
    }

    /**
     * {@link DifferentiableModel#jacobianRows} in one forward pass whose graph is kept for the m
     * backward passes (the last frees it): m rows cost one forward and m backward passes.
     *
     * @param lock what the passes synchronise on (the model)
     * @param params the model's parameters, frozen during the passes
     * @param forward the model's forward function, inputs to logits
     * @param x the inputs [n, ...]
     * @param classes the classes whose logit gradients are wanted, per example ({@link DifferentiableModel.Jacobian#rows})
     * @param k the number of classes of the model
     * @param d the size of one input
     * @return the logits and the m rows of input gradients per example
     */
    public static DifferentiableModel.Jacobian jacobianRows(Object lock, List<Tensor> params, UnaryOperator<Tensor> forward,
                                                            Tensor x, int[][] classes, int k, int d) {
        int m = DifferentiableModel.Jacobian.rows(x, classes, k), n = x.dim(0);
        float[] out = new float[n * m * d];
        // The forward's activations live in one Arena scope for the m passes; each backward pass's
        // intermediate gradients in a nested scope of its own, given back before the next pass.
        // What leaves is allocated outside (the rows) or copied (the logits).
        try (var arena = Arena.open()) {
            return frozen(lock, params, x, null, leaf -> {
                Tensor z = forward.apply(leaf);
                float[] g = new float[n * d];
                for (int j = 0; j < m; j++) {
                    if (j > 0) Arrays.fill(g, 0f);
                    leaf.setGrad(g);
                    try (var pass = Arena.open()) {
                        Backprop.run(LossFunction.logit(DifferentiableModel.Jacobian.column(classes, j)).apply(z).sum(), j < m - 1);
                    }
                    DifferentiableModel.Jacobian.scatter(g, out, j, m, n, d);
                }
                return new DifferentiableModel.Jacobian(z.copy(), m, out);
            });
        }
    }

    /**
     * Runs body on a leaf copy of x (grad buffer {@code into} when not null) with the parameters frozen.
     *
     * @param <T> what body returns
     * @param lock what the pass synchronises on (the model)
     * @param params the parameters to freeze meanwhile (their requiresGrad is restored after)
     * @param x the inputs
     * @param into the leaf's gradient buffer, or null
     * @param body the passes, given the leaf
     * @return what body returns
     * @throws IllegalStateException inside a {@code Grad.noGrad()} scope
     */
    public static <T> T frozen(Object lock, List<Tensor> params, Tensor x, float[] into, Function<Tensor, T> body) {
        if (!Grad.enabled()) throw new IllegalStateException("gradients requested inside a Grad.noGrad() scope");
        Tensor leaf = new Tensor(x.shape(), x.data()).requiresGrad(true);
        if (into != null) leaf.setGrad(into);
        synchronized (lock) {
            boolean[] was = new boolean[params.size()];
            for (int i = 0; i < was.length; i++) {
                was[i] = params.get(i).requiresGrad();
                params.get(i).requiresGrad(false);
            }
            try {
                return body.apply(leaf);
            } finally {
                for (int i = 0; i < was.length; i++) params.get(i).requiresGrad(was[i]);
            }
        }
    }
}
