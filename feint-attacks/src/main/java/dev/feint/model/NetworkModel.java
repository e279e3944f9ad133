package dev.feint.model;

import dev.feint.autograd.Backprop;
import dev.feint.autograd.Grad;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * A {@link Network} as attacks see it: inputs in [0, 1] (the network normalises inside),
 * logits out. Gradients are taken with the parameters frozen, so a backward pass computes
 * only input gradients (the weight-gradient kernels are skipped) and never disturbs the
 * parameter gradients a training loop may hold.
 */
public final class NetworkModel implements DifferentiableModel {
    private final Network net;
    private final Bounds bounds;
    private final List<Tensor> params;
    private final int[] shape;

    private NetworkModel(Network net, Bounds bounds) {
        this.net = net;
        this.bounds = bounds;
        this.params = List.copyOf(net.body().namedParameters().values());
        this.shape = net.architecture().input();
    }

    /** Puts the network in eval mode (dropout off, BatchNorm running statistics) and wraps it. */
    public static NetworkModel of(Network net) {
        net.eval();
        return new NetworkModel(net, Bounds.UNIT);
    }

    /** Wraps the network in whatever mode it is in (training recipes such as AdvProp choose). */
    public static NetworkModel asIs(Network net) { return new NetworkModel(net, Bounds.UNIT); }

    public Network network() { return net; }

    @Override public int numClasses() { return net.architecture().numClasses(); }

    @Override public Bounds bounds() { return bounds; }

    @Override public int[] inputShape() { return shape.clone(); }

    @Override public Tensor logits(Tensor x) {
        check(x);
        try (var ng = Grad.noGrad()) {
            return net.forward(x);
        }
    }

    @Override public Gradient gradient(Tensor x, LossFunction loss, float[] into) {
        check(x);
        if (into != null) {
            if (into.length != x.size()) throw new IllegalArgumentException("gradient buffer of " + into.length + " for " + x.shape());
            Arrays.fill(into, 0f);
        }
        return frozen(x, into, leaf -> {
            Tensor z = net.forward(leaf);
            Tensor l = loss.apply(z);
            if (l.rank() != 1 || l.dim(0) != x.dim(0))
                throw new IllegalArgumentException("loss must be per example [" + x.dim(0) + "], got " + l.shape());
            l.sum().backward();
            float[] g = leaf.grad() != null ? leaf.grad() : (into != null ? into : new float[x.size()]);
            return new Gradient(z.detach(), l.data(), g);
        });
    }

    /**
     * One forward pass whose graph is kept for the m backward passes (Backprop's keepGraph; the
     * last pass frees it), so m rows cost one forward and m input-gradient backward passes.
     */
    @Override public Jacobian jacobianRows(Tensor x, int[][] classes) {
        check(x);
        int m = Jacobian.rows(x, classes, numClasses()), n = x.dim(0), d = inputSize();
        float[] out = new float[n * m * d];
        return frozen(x, null, leaf -> {
            Tensor z = net.forward(leaf);
            for (int j = 0; j < m; j++) {
                float[] g = new float[n * d];
                leaf.setGrad(g);
                Backprop.run(LossFunction.logit(Jacobian.column(classes, j)).apply(z).sum(), j < m - 1);
                Jacobian.scatter(g, out, j, m, n, d);
            }
            return new Jacobian(z.detach(), m, out);
        });
    }

    /** Runs body on a leaf copy of x (grad buffer {@code into} when not null) with the parameters frozen. */
    private <T> T frozen(Tensor x, float[] into, java.util.function.Function<Tensor, T> body) {
        if (!Grad.enabled()) throw new IllegalStateException("gradients requested inside a Grad.noGrad() scope");
        Tensor leaf = new Tensor(x.shape(), x.data()).requiresGrad(true);
        if (into != null) leaf.setGrad(into);
        synchronized (net) {
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

    private void check(Tensor x) {
        if (x.rank() != 4 || x.dim(1) != shape[0] || x.dim(2) != shape[1] || x.dim(3) != shape[2])
            throw new IllegalArgumentException("model expects inputs [n, " + shape[0] + ", " + shape[1] + ", " + shape[2]
                    + "], got " + x.shape());
    }
}
