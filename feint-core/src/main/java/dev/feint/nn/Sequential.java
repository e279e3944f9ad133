package dev.feint.nn;

import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * Layers applied in order, named "0", "1", ... as PyTorch's nn.Sequential, or by the names
 * given (so a network's parameters carry the state_dict names of a PyTorch module written with
 * named attributes, e.g. {@code conv1}, {@code layer1.0}, {@code linear}).
 */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    /**
     * Layers named by their index, as PyTorch's nn.Sequential.
     *
     * @param layers the layers, in order
     */
    public Sequential(List<Module> layers) {
        for (Module m : layers) add(m);
    }

    /**
     * Layers named by {@code names} where not null, by their index otherwise.
     *
     * @param layers the layers, in order
     * @param names one name per layer, or null for its index
     * @throws IllegalArgumentException if the lists differ in length
     */
    public Sequential(List<Module> layers, List<String> names) {
        if (names.size() != layers.size()) throw new IllegalArgumentException(layers.size() + " layers, " + names.size() + " names");
        for (int i = 0; i < layers.size(); i++) add(names.get(i), layers.get(i));
    }

    /**
     * Appends m, named by its index.
     *
     * @param m the layer
     * @return this chain
     */
    public Sequential add(Module m) { return add(null, m); }

    /**
     * Appends m, named {@code name} (null: its index).
     *
     * @param name the layer's name, or null
     * @param m the layer
     * @return this chain
     */
    public Sequential add(String name, Module m) {
        child(name != null ? name : Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    /** {@return the layers, in order (read-only)} */
    public List<Module> layers() { return java.util.Collections.unmodifiableList(layers); }

    /**
     * Runs the layers in order; a Conv2d followed by a ReLU (and a non-overlapping max-pool), or a
     * Linear followed by a ReLU, runs as one fused op: same values and gradients, without the
     * intermediates.
     */
    @Override public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < layers.size(); i += span(i)) h = forwardSpan(i, h);
        return h;
    }

    /**
     * How many layers from index i run as one op: 3 (conv, ReLU, max-pool), 2 (conv or linear, ReLU) or 1.
     *
     * @param i the index of the first layer
     * @return 1, 2 or 3
     */
    public int span(int i) {
        return Fusion.span(layers.get(i) instanceof Conv2d, layers.get(i) instanceof Linear, isRelu(i + 1), poolWindow(i + 2));
    }

    /**
     * The layers [i, i + span(i)) applied to x, as {@link #forward} applies them.
     *
     * @param i the index of the first layer
     * @param x the input of layer i
     * @return the output of the span's last layer
     */
    public Tensor forwardSpan(int i, Tensor x) {
        int n = span(i);
        if (n == 1) return layers.get(i).forward(x);
        if (layers.get(i) instanceof Linear lin) return lin.forwardRelu(x);
        return ((Conv2d) layers.get(i)).forwardReluPool(x, n == 3 ? poolWindow(i + 2) : 1);
    }

    private boolean isRelu(int i) {
        return i < layers.size() && layers.get(i) instanceof Activation a && a.kind == Activation.Kind.RELU;
    }

    /** The window of a max-pool at i whose stride equals its window and has no padding, else 0. */
    private int poolWindow(int i) {
        return i < layers.size() && layers.get(i) instanceof Pool2d p && p.max
                ? GraphOps.MaxPool.tilingWindow(dev.feint.autograd.PoolOptions.of(p.kernel, p.stride, p.padding)) : 0;
    }
}
