package dev.feint.model;

import dev.feint.autograd.Grad;
import dev.feint.testing.TinyProblem;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NetworkModelTest {
    @Test
    void inputGradientMatchesCentralDifferencesPerExample() {
        TinyProblem p = TinyProblem.get();
        int n = 5, d = TinyProblem.D;
        float[] xs = Arrays.copyOf(p.testX.data(), n * d);
        int[] y = Arrays.copyOf(p.testY, n);
        LossFunction loss = LossFunction.crossEntropy(y);
        DifferentiableModel.Gradient g = p.model.gradient(Tensor.of(xs.clone(), n, 1, 4, 4), loss);
        float h = 1e-2f;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j += 3) {
                float[] a = xs.clone(), b = xs.clone();
                a[i * d + j] += h;
                b[i * d + j] -= h;
                double diff = (lossOf(p, a, loss, i) - lossOf(p, b, loss, i)) / (2 * h);
                assertEquals(diff, g.grad()[i * d + j], 2e-3 + 1e-2 * Math.abs(diff), "d loss_" + i + " / d x_" + j);
            }
        float[] z = p.model.logits(Tensor.of(xs, n, 1, 4, 4)).data();
        assertEquals(Arrays.toString(z), Arrays.toString(g.logits().data()), "the gradient pass returns the same logits");
    }

    private static double lossOf(TinyProblem p, float[] x, LossFunction loss, int i) {
        try (var ng = Grad.noGrad()) {
            return loss.apply(p.model.logits(Tensor.of(x, x.length / TinyProblem.D, 1, 4, 4))).data()[i];
        }
    }

    @Test
    void parametersAreFrozenDuringTheBackwardPassAndRestoredAfter() {
        TinyProblem p = TinyProblem.get();
        var params = p.network.body().namedParameters().values();
        for (Tensor t : params) t.zeroGrad();
        float[] into = new float[p.testX.size()];
        DifferentiableModel.Gradient g = p.model.gradient(p.testX, LossFunction.margin(p.testY), into);
        assertTrue(g.grad() == into, "the caller's buffer is reused");
        for (Tensor t : params) {
            assertNull(t.grad(), "no parameter gradient computed");
            assertTrue(t.requiresGrad(), "requiresGrad restored");
        }
        assertTrue(p.testX.grad() == null && !p.testX.requiresGrad(), "the caller's tensor is not touched");
    }

    @Test
    void shapesAndBounds() {
        TinyProblem p = TinyProblem.get();
        assertEquals(Bounds.UNIT, p.model.bounds());
        assertEquals(3, p.model.numClasses());
        assertEquals(16, p.model.inputSize());
        assertThrows(IllegalArgumentException.class, () -> p.model.logits(Tensor.zeros(2, 1, 4, 5)));
        Tensor probs = p.model.probabilities(p.testX);
        for (int i = 0; i < p.testY.length; i++) {
            float s = 0;
            for (int k = 0; k < 3; k++) s += probs.data()[i * 3 + k];
            assertEquals(1f, s, 1e-5f);
        }
    }
}
