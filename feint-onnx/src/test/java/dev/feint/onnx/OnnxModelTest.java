package dev.feint.onnx;

import dev.feint.model.InputPreprocessing;
import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackResult;
import dev.feint.attack.Misclassification;
import dev.feint.attack.Norm;
import dev.feint.attack.gradient.Pgd;
import dev.feint.io.Npy;
import dev.feint.model.Bounds;
import dev.feint.model.LossFunction;
import dev.feint.nn.Graph;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.feint.onnx.OnnxFixturesTest.LABELS;
import static dev.feint.onnx.OnnxFixturesTest.relativeError;
import static dev.feint.onnx.OnnxFixturesTest.resource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ONNX classifier as attacks see it: preprocessing in the user's input space, gradients through it, attacks in its bounds. */
class OnnxModelTest {
    private static final java.nio.file.Path CNN = resource("small-cnn-opset17.onnx");

    @Test
    void defaultPreprocessingGivesPyTorchsLogitsAndGradients() {
        OnnxModel m = OnnxModel.load(CNN, InputPreprocessing.DEFAULT, null);
        assertArrayEquals(new int[] {3, 32, 32}, m.inputShape());
        assertEquals(10, m.numClasses());
        Tensor x = Npy.read(resource("small-cnn.x.npy"));
        var g = m.gradient(x, LossFunction.crossEntropy(LABELS));
        assertTrue(relativeError(g.logits().data(), Npy.read(resource("small-cnn.logits.npy")).data()) < 1e-4f);
        assertTrue(relativeError(g.grad(), Npy.read(resource("small-cnn.grad.npy")).data()) < 1e-3f);
    }

    @Test
    void rangeMeanStdAndBgrAreAppliedInTheUsersInputSpace() {
        // A user whose images are 0..255 RGB, for a model trained on (x/255 - 0.5)/0.25 BGR input.
        InputPreprocessing p = new InputPreprocessing(new Bounds(0f, 255f), new float[] {127.5f}, new float[] {63.75f}, true, false);
        OnnxModel m = OnnxModel.load(CNN, p, null);
        Graph plain = OnnxImport.load(CNN).graph();
        plain.eval();
        Tensor x = Npy.read(resource("small-cnn.x.npy"));
        int plane = 32 * 32;
        float[] user = new float[x.size()], fed = new float[x.size()];
        for (int i = 0; i < 2; i++)
            for (int c = 0; c < 3; c++)
                for (int j = 0; j < plane; j++) {
                    float v = x.data()[(i * 3 + c) * plane + j];
                    user[(i * 3 + c) * plane + j] = v * 255f;
                    fed[(i * 3 + (2 - c)) * plane + j] = (v - 0.5f) / 0.25f;
                }
        Tensor want = plain.forward(Tensor.of(fed, 2, 3, 32, 32));
        assertArrayEquals(want.data(), m.logits(Tensor.of(user, 2, 3, 32, 32)).data(), 1e-4f);
        assertEquals(new Bounds(0f, 255f), m.bounds());
        // The gradient is taken with respect to the user's input: finite differences agree.
        Tensor u = Tensor.of(user, 2, 3, 32, 32);
        float[] grad = m.gradient(u, LossFunction.crossEntropy(LABELS)).grad();
        int at = 5 * plane + 77;
        float h = 0.5f, old = user[at];
        user[at] = old + h;
        float up = m.gradient(u, LossFunction.crossEntropy(LABELS)).loss()[1];
        user[at] = old - h;
        float down = m.gradient(u, LossFunction.crossEntropy(LABELS)).loss()[1];
        user[at] = old;
        assertEquals((up - down) / (2 * h), grad[at], 2e-2 * Math.abs(grad[at]) + 1e-6);
    }

    @Test
    void pgdStaysInItsBallAndTheUsersBoundsAndFlipsPredictions() {
        InputPreprocessing p = new InputPreprocessing(new Bounds(0f, 255f), new float[] {0f}, new float[] {255f}, false, false);
        OnnxModel m = OnnxModel.load(CNN, p, null);
        Tensor x = Npy.read(resource("small-cnn.x.npy"));
        Tensor user = x.mul(255f).detach();
        int[] labels = m.predict(user);
        Attack pgd = Pgd.builder().norm(Norm.LINF).eps(8f).steps(20).seed(1L).build();
        AttackResult r = pgd.run(m, user, new Misclassification(labels));
        float[] a = r.adversarial().data(), o = user.data();
        for (int i = 0; i < a.length; i++) {
            assertTrue(a[i] >= 0f && a[i] <= 255f, "outside the bounds: " + a[i]);
            assertTrue(Math.abs(a[i] - o[i]) <= 8f + 1e-3f, "outside the eps-ball: " + (a[i] - o[i]));
        }
        int[] after = m.predict(r.adversarial());
        for (int i = 0; i < labels.length; i++) assertEquals(r.success()[i], after[i] != labels[i], "success re-verified");
        assertTrue(r.success()[0] || r.success()[1], "eps 8 of 255 flips at least one of a random network's predictions");
    }

    @Test
    void badPreprocessingIsOneClearMessage() {
        var e = assertThrows(FeintException.class, () -> OnnxModel.load(CNN,
                new InputPreprocessing(Bounds.UNIT, new float[] {0f, 0f}, new float[] {1f, 1f}, false, false), null));
        assertEquals("mean and std have 2 values but the model's input has 3 channels", e.getMessage());
        var names = assertThrows(FeintException.class, () -> OnnxModel.load(CNN, InputPreprocessing.DEFAULT, List.of("a", "b")));
        assertEquals("2 class names given, the model has 10 classes", names.getMessage());
        var std = assertThrows(FeintException.class, () -> new InputPreprocessing(Bounds.UNIT, new float[] {0f}, new float[] {0f}, false, false));
        assertTrue(std.getMessage().contains("std values must be finite and > 0"), std.getMessage());
    }
}
