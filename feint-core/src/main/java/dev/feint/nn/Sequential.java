package dev.feint.nn;

import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Layers applied in order, named "0", "1", ... as PyTorch's nn.Sequential. */
public final class Sequential extends Module {
    private final List<Module> layers = new ArrayList<>();

    public Sequential(List<Module> layers) {
        for (Module m : layers) add(m);
    }

    public Sequential add(Module m) {
        child(Integer.toString(layers.size()), m);
        layers.add(m);
        return this;
    }

    public List<Module> layers() { return java.util.Collections.unmodifiableList(layers); }

    /**
     * Runs the layers in order; a Conv2d followed by a ReLU (and a non-overlapping max-pool) runs
     * as one fused op: same values and gradients, without the full-size intermediates.
     */
    @Override public Tensor forward(Tensor x) {
        Tensor h = x;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (m instanceof Conv2d conv && isRelu(i + 1)) {
                int pool = poolWindow(i + 2);
                h = conv.forwardReluPool(h, Math.max(1, pool));
                i += pool > 0 ? 2 : 1;
            } else {
                h = m.forward(h);
            }
        }
        return h;
    }

    private boolean isRelu(int i) {
        return i < layers.size() && layers.get(i) instanceof Activation a && a.kind == Activation.Kind.RELU;
    }

    /** The window of a max-pool at i whose stride equals its window and has no padding, else 0. */
    private int poolWindow(int i) {
        if (i < layers.size() && layers.get(i) instanceof Pool2d p && p.max && p.kernel == p.stride && p.padding == 0)
            return p.kernel;
        return 0;
    }
}
