package dev.feint.autograd;

import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Central-difference gradient check in float: the scalar is sum(f(inputs) * r) for a fixed random
 * r, so every output element's gradient is exercised.
 */
public final class GradCheck {
    private GradCheck() {}

    public static void check(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(what, f, 1e-2f, 2e-2f, inputs);
    }

    public static void check(String what, Function<Tensor[], Tensor> f, float h, float tol, Tensor... inputs) {
        for (Tensor t : inputs) { t.zeroGrad(); t.requiresGrad(true); }
        Tensor out = f.apply(inputs);
        SplittableRandom rng = new SplittableRandom(99);
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) r[i] = (float) (rng.nextDouble() * 2 - 1);
        Tensor rt = new Tensor(out.shape(), r);
        out.mul(rt).sum().backward();
        boolean anyNonZero = false;
        for (int k = 0; k < inputs.length; k++) {
            Tensor t = inputs[k];
            float[] analytic = t.grad() == null ? new float[t.size()] : t.grad().clone();
            float[] x = t.data();
            for (int i = 0; i < x.length; i++) {
                float old = x[i];
                x[i] = old + h;
                double up = project(f, inputs, r);
                x[i] = old - h;
                double down = project(f, inputs, r);
                x[i] = old;
                double numeric = (up - down) / (2 * h);
                double err = Math.abs(numeric - analytic[i]);
                if (analytic[i] != 0) anyNonZero = true;
                if (err > tol * Math.max(1, Math.abs(numeric)))
                    fail(what + ": input " + k + " element " + i + " analytic " + analytic[i] + " numeric " + numeric);
            }
        }
        assertTrue(anyNonZero, what + ": all gradients were zero, the check proves nothing");
    }

    private static double project(Function<Tensor[], Tensor> f, Tensor[] inputs, float[] r) {
        try (var ng = Grad.noGrad()) {
            Tensor o = f.apply(inputs);
            double s = 0;
            for (int i = 0; i < r.length; i++) s += (double) o.data()[i] * r[i];
            return s;
        }
    }

    /** Uniform values in [-1, 1] kept at least `gap` away from the given kinks. */
    public static Tensor awayFrom(SplittableRandom rng, float gap, float[] kinks, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            float v;
            boolean near;
            do {
                v = (float) (rng.nextDouble() * 2 - 1);
                near = false;
                for (float k : kinks) near |= Math.abs(v - k) < gap;
            } while (near);
            d[i] = v;
        }
        return t;
    }

    /** Distinct values (a permutation of a spread grid) so max/argmax have no ties. */
    public static Tensor distinct(SplittableRandom rng, int... dims) {
        Tensor t = Tensor.zeros(dims);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) d[i] = (i - d.length / 2f) * 0.1f;
        for (int i = d.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            float tmp = d[i]; d[i] = d[j]; d[j] = tmp;
        }
        return t;
    }
}
