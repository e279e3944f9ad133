package dev.feint.model;

import dev.feint.autograd.Grad;
import dev.feint.nn.Network;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Tensor;

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

    /**
     * Puts the network in eval mode (dropout off, BatchNorm running statistics) and wraps it.
     *
     * @param net the network (inputs in [0, 1]; its normalisation is inside it)
     * @return the model attacks see
     */
    public static NetworkModel of(Network net) {
        net.eval();
        return new NetworkModel(net, Bounds.UNIT);
    }

    /**
     * Wraps the network in whatever mode it is in (training recipes such as AdvProp choose).
     *
     * @param net the network
     * @return the model attacks see, in the network's current mode
     */
    public static NetworkModel asIs(Network net) { return new NetworkModel(net, Bounds.UNIT); }

    /** {@return the wrapped network} */
    public Network network() { return net; }

    @Override public int numClasses() { return net.architecture().numClasses(); }

    @Override public Bounds bounds() { return bounds; }

    @Override public int[] inputShape() { return shape.clone(); }

    @Override public Tensor logits(Tensor x) {
        check(x);
        try (var ng = Grad.noGrad(); var arena = Arena.open()) {
            return net.forward(x).copy();               // the activations stay in this thread's arena
        }
    }

    @Override public Gradient gradient(Tensor x, LossFunction loss, float[] into) {
        check(x);
        return InputGradients.compute(net, params, net::forward, x, loss, into);
    }

    /**
     * One forward pass whose graph is kept for the m backward passes (Backprop's keepGraph; the
     * last pass frees it), so m rows cost one forward and m input-gradient backward passes.
     */
    @Override public Jacobian jacobianRows(Tensor x, int[][] classes) {
        check(x);
        return InputGradients.jacobianRows(net, params, net::forward, x, classes, numClasses(), inputSize());
    }

    private void check(Tensor x) { Model.checkInput(x, shape); }
}
