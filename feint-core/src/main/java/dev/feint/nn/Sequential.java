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

    @Override public Tensor forward(Tensor x) {
        Tensor h = x;
        for (Module m : layers) h = m.forward(h);
        return h;
    }
}
