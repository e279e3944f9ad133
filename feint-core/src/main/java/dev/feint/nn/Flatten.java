package dev.feint.nn;

import dev.feint.autograd.Shapes;
import dev.feint.tensor.Tensor;

/** [n, ...] -> [n, prod(...)]. */
public final class Flatten extends Module {
    /** A flattening layer (no parameters). */
    public Flatten() {}

    @Override public Tensor forward(Tensor x) { return Shapes.flatten(x); }
}
