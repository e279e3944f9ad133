package dev.feint.model;

import dev.feint.autograd.Grad;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;
import dev.feint.testing.TinyProblem;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link DifferentiableModel#jacobianRows}: one forward, a kept graph, one backward per row. */
class JacobianRowsTest {
    @Test
    void rowsMatchCentralDifferencesOfEachLogit() {
        TinyProblem p = TinyProblem.get();
        int n = 4, d = TinyProblem.D, k = TinyProblem.CLASSES;
        float[] xs = Arrays.copyOf(p.testX.data(), n * d);
        int[][] cls = {{0, 1, 2}, {2, 1, 0}, {1, 1, 2}, {0, 2, 1}};
        DifferentiableModel.Jacobian jac = p.model.jacobianRows(Tensor.of(xs.clone(), n, 1, 4, 4), cls);
        assertEquals(3, jac.rows());
        assertArrayEquals(p.model.logits(Tensor.of(xs.clone(), n, 1, 4, 4)).data(), jac.logits().data());
        float h = 2e-3f; // small: a ReLU kink within h of x makes the difference quotient meaningless
        for (int i = 0; i < n; i++)
            for (int j = 0; j < 3; j++)
                for (int q = 0; q < d; q += 2) {
                    float[] a = xs.clone(), b = xs.clone();
                    a[i * d + q] += h;
                    b[i * d + q] -= h;
                    int c = cls[i][j];
                    double fd = (logit(p.model, a, n, i, c, k) - logit(p.model, b, n, i, c, k)) / (2 * h);
                    assertEquals(fd, jac.grads()[(i * 3 + j) * d + q], 1e-2 + 1e-2 * Math.abs(fd), "d z_" + c + " / d x_" + q + " of " + i);
                }
    }

    /** Through conv, ReLU and pooling nodes kept for several passes: row differences equal gradient(logitDifference). */
    @Test
    void keptGraphGivesTheGradientsOfSeparatePasses() {
        Network net = Network.create(new Architecture("c", new int[] {1, 8, 8}, 4, List.of(
                LayerSpec.of("conv2d", "in", 1, "out", 3, "kernel", 3, "padding", 1), LayerSpec.of("relu"), LayerSpec.of("maxpool", "kernel", 2),
                LayerSpec.of("flatten"), LayerSpec.of("linear", "in", 48, "out", 4))), 5);
        NetworkModel m = NetworkModel.of(net);
        int n = 3, d = 64;
        SplittableRandom r = new SplittableRandom(1);
        float[] xs = new float[n * d];
        for (int i = 0; i < xs.length; i++) xs[i] = (float) r.nextDouble();
        Tensor x = Tensor.of(xs, n, 1, 8, 8);
        int[][] all = {{0, 1, 2, 3}, {0, 1, 2, 3}, {0, 1, 2, 3}};
        DifferentiableModel.Jacobian jac = m.jacobianRows(x, all);
        for (int a = 0; a < 4; a++)
            for (int b = 0; b < 4; b++) {
                if (a == b) continue;
                int[] ca = {a, a, a}, cb = {b, b, b};
                float[] g = m.gradient(x, LossFunction.logitDifference(ca, cb)).grad();
                for (int i = 0; i < n; i++)
                    for (int q = 0; q < d; q++)
                        assertEquals(g[i * d + q], jac.grads()[(i * 4 + a) * d + q] - jac.grads()[(i * 4 + b) * d + q], 1e-5,
                                "row " + a + " - row " + b + " of example " + i);
            }
        DifferentiableModel perRow = new DifferentiableModel() { // the interface's default: a forward per row
            @Override public Gradient gradient(Tensor t, LossFunction loss, float[] into) { return m.gradient(t, loss, into); }
            @Override public Tensor logits(Tensor t) { return m.logits(t); }
            @Override public int numClasses() { return 4; }
            @Override public Bounds bounds() { return m.bounds(); }
            @Override public int[] inputShape() { return m.inputShape(); }
        };
        assertArrayEquals(perRow.jacobianRows(x, all).grads(), jac.grads(), "kept graph and fresh passes agree bit for bit");
        for (Tensor t : net.body().namedParameters().values()) assertEquals(null, t.grad(), "no parameter gradient");
    }

    @Test
    void badClassListsAreRejected() {
        TinyProblem p = TinyProblem.get();
        Tensor x = Tensor.of(Arrays.copyOf(p.testX.data(), 2 * TinyProblem.D), 2, 1, 4, 4);
        assertEquals("every example needs the same number (>= 1) of classes, example 1 has 1 where example 0 has 2",
                assertThrows(IllegalArgumentException.class, () -> p.model.jacobianRows(x, new int[][] {{0, 1}, {1}})).getMessage());
        assertEquals("class 3 of example 0 is outside 0..2",
                assertThrows(IllegalArgumentException.class, () -> p.model.jacobianRows(x, new int[][] {{3}, {1}})).getMessage());
    }

    private static double logit(Model m, float[] x, int n, int i, int c, int k) {
        try (var ng = Grad.noGrad()) {
            return m.logits(Tensor.of(x, n, 1, 4, 4)).data()[i * k + c];
        }
    }
}
