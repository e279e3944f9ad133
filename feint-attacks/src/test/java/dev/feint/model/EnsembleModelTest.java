package dev.feint.model;

import dev.feint.FeintException;
import dev.feint.autograd.Elementwise;
import dev.feint.loss.Losses;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;
import dev.feint.testing.TinyProblem;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ensemble's logits are the members' mean and its gradient is that of the loss of the mean, taken in one graph. */
class EnsembleModelTest {
    static final TinyProblem P = TinyProblem.get();

    static Network other(int seed) {
        return Network.create(new Architecture("tiny2", new int[] {1, 4, 4}, 3, List.of(LayerSpec.of("flatten"),
                LayerSpec.of("linear", "in", 16, "out", 8), LayerSpec.of("relu"), LayerSpec.of("linear", "in", 8, "out", 3))), seed);
    }

    @Test
    void gradientEqualsTheDirectGraphOfTheMeanLogits() {
        Network b = other(11);
        b.eval();
        EnsembleModel e = EnsembleModel.of(List.of(P.model, NetworkModel.of(b)));
        LossFunction loss = LossFunction.margin(P.testY);
        DifferentiableModel.Gradient g = e.gradient(P.testX, loss);
        // Reference: one autograd graph through both networks (weights' gradients are irrelevant here).
        Tensor leaf = new Tensor(P.testX.shape(), P.testX.data().clone()).requiresGrad(true);
        Tensor mean = Elementwise.scale(Elementwise.add(P.network.forward(leaf), b.forward(leaf)), 0.5f);
        Tensor l = Losses.marginPerExample(mean, P.testY);
        l.sum().backward();
        float[] ref = leaf.grad();
        double max = 0;
        for (int i = 0; i < ref.length; i++) {
            assertEquals(ref[i], g.grad()[i], 1e-5f, "at " + i);
            max = Math.max(max, Math.abs(ref[i]));
        }
        assertTrue(max > 1e-3, "a vanishing gradient would pass trivially");
        assertArrayEquals(l.data(), g.loss(), 1e-5f);
        assertArrayEquals(mean.data(), e.logits(P.testX).data(), 1e-6f);
    }

    @Test
    void oneMemberIsThatMember() {
        EnsembleModel e = EnsembleModel.of(List.of(P.model));
        LossFunction loss = LossFunction.crossEntropy(P.testY);
        assertArrayEquals(P.model.gradient(P.testX, loss).grad(), e.gradient(P.testX, loss).grad(), 1e-6f);
        assertArrayEquals(P.model.logits(P.testX).data(), e.logits(P.testX).data());
    }

    @Test
    void membersMustAgree() {
        Network wide = Network.create(new Architecture("w", new int[] {1, 4, 4}, 4, List.of(LayerSpec.of("flatten"),
                LayerSpec.of("linear", "in", 16, "out", 4))), 1);
        FeintException x = assertThrows(FeintException.class, () -> EnsembleModel.of(List.of(P.model, NetworkModel.of(wide))));
        assertEquals("ensemble member 1 (input [1, 4, 4], 4 classes, bounds [0.0, 1.0]) does not match member 0 (input [1, 4, 4], "
                + "3 classes, bounds [0.0, 1.0])", x.getMessage());
        assertEquals("an ensemble needs at least one model", assertThrows(FeintException.class, () -> EnsembleModel.of(List.of())).getMessage());
    }
}
