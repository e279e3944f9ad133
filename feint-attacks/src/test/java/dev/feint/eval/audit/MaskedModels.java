package dev.feint.eval.audit;

import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.model.Bounds;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.LossFunction;
import dev.feint.model.NetworkModel;
import dev.feint.nn.NetworkFile;
import dev.feint.tensor.Tensor;

import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * The demo models, and the deliberately broken models the audit must catch: the PGD-trained
 * LeNet behind an input-rounding layer (its true input gradient is zero almost everywhere: the
 * classic gradient masking of quantised inputs), and behind a random input transformation.
 */
final class MaskedModels {
    private MaskedModels() {}

    static NetworkModel demo(String file) {
        return NetworkModel.of(NetworkFile.load(Path.of("..", "demo", "models", file)).network());
    }

    static Dataset demoData(int n) {
        return Datasets.load(Path.of("..", "demo", "fashion-mnist-1k").toString(), "test").slice(0, n);
    }

    /** A model over its inputs rounded to {@code levels} grey levels; d round / dx = 0, so its gradient is exactly zero. */
    static DifferentiableModel rounded(DifferentiableModel inner, int levels) {
        return new Wrapper(inner) {
            @Override Tensor transform(Tensor x) {
                float[] o = x.data().clone();
                for (int i = 0; i < o.length; i++) o[i] = Math.round(o[i] * (levels - 1)) / (float) (levels - 1);
                return Tensor.of(o, x.dims());
            }

            @Override public Gradient gradient(Tensor x, LossFunction loss, float[] into) {
                Gradient g = inner.gradient(transform(x), loss, into);
                java.util.Arrays.fill(g.grad(), 0f); // the chain rule through round()
                return g;
            }
        };
    }

    /** A model over its inputs plus fresh uniform noise of +-size on every call (a randomised defence). */
    static DifferentiableModel noisy(DifferentiableModel inner, float size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        return new Wrapper(inner) {
            @Override Tensor transform(Tensor x) {
                float[] o = x.data().clone();
                for (int i = 0; i < o.length; i++) o[i] = inner.bounds().clamp(o[i] + size * (float) (2 * rng.nextDouble() - 1));
                return Tensor.of(o, x.dims());
            }
        };
    }

    /** Passes transform(x) to the inner model; the gradient is taken at transform(x) (straight through). */
    private abstract static class Wrapper implements DifferentiableModel {
        final DifferentiableModel inner;

        Wrapper(DifferentiableModel inner) { this.inner = inner; }

        abstract Tensor transform(Tensor x);

        @Override public Tensor logits(Tensor x) { return inner.logits(transform(x)); }

        @Override public Gradient gradient(Tensor x, LossFunction loss, float[] into) { return inner.gradient(transform(x), loss, into); }

        @Override public int numClasses() { return inner.numClasses(); }

        @Override public Bounds bounds() { return inner.bounds(); }

        @Override public int[] inputShape() { return inner.inputShape(); }
    }
}
