package dev.feint.attack;

import dev.feint.attack.internal.DecisionMargin;
import dev.feint.attack.blackbox.BoundaryAttack;
import dev.feint.attack.blackbox.HopSkipJump;
import dev.feint.attack.gradient.CarliniWagnerL2;
import dev.feint.attack.gradient.DeepFool;
import dev.feint.attack.gradient.Fab;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.loss.Losses;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.optim.Adam;
import dev.feint.tensor.Tensor;
import dev.feint.tensor.kernels.Conv2dKernels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Minimum-norm attacks leave their outputs next to the decision boundary; with the
 * {@link DecisionMargin} their success must survive a change of engine. The model has a
 * stride-1 5x5 convolution with 16 channels in and out, so it runs by Winograd or by the direct
 * kernels at the flip of a switch; every attack's output is classified the same both ways.
 */
class EngineAgreementTest {
    private static NetworkModel model;
    private static Tensor x;
    private static int[] y;
    private static boolean winogradBefore;

    @BeforeAll
    static void trainATinyWinogradModel() {
        winogradBefore = Conv2dKernels.winograd();
        Network net = Network.create(new Architecture("wino", new int[] {1, 28, 28}, 10, List.of(
                LayerSpec.of("conv2d", "in", 1, "out", 16, "kernel", 5, "padding", 2), LayerSpec.of("relu"), LayerSpec.of("maxpool", "kernel", 2),
                LayerSpec.of("conv2d", "in", 16, "out", 16, "kernel", 5, "padding", 2), LayerSpec.of("relu"), LayerSpec.of("maxpool", "kernel", 2),
                LayerSpec.of("flatten"), LayerSpec.of("linear", "in", 16 * 7 * 7, "out", 10))), 3);
        Dataset data = Datasets.load("../demo/fashion-mnist-1k", "test");
        Adam opt = Adam.adam(List.copyOf(net.body().namedParameters().values()), 2e-3f);
        net.train();
        for (int step = 0; step < 30; step++) { // batches of 50 from images 100..999
            int[] idx = new int[50];
            for (int j = 0; j < 50; j++) idx[j] = 100 + (step * 50 + j) % 900;
            var b = data.batch(idx);
            opt.zeroGrad();
            Losses.crossEntropy(net.forward(b.x()), b.y()).backward();
            opt.step();
        }
        model = NetworkModel.of(net);
        Dataset test = data.slice(0, 40);
        int[] pred = model.predict(test.images()), labels = test.labels(), keep = new int[12];
        int c = 0;
        for (int i = 0; i < labels.length && c < keep.length; i++) if (pred[i] == labels[i]) keep[c++] = i;
        assertTrue(c >= 8, "the tiny model should classify most images, got " + c + " of 40 right");
        Dataset s = test.subset(Arrays.copyOf(keep, c));
        x = s.images();
        y = s.labels();
    }

    @AfterAll
    static void restore() { Conv2dKernels.setWinograd(winogradBefore); }

    static Attack attack(String name) {
        return switch (name) {
            case "deepfool" -> DeepFool.builder().build();
            case "cw" -> CarliniWagnerL2.builder().binarySearchSteps(4).steps(40).initialConst(0.1f).build();
            case "fab" -> Fab.builder().norm(Norm.L2).steps(30).build();
            case "hsja" -> HopSkipJump.builder().iterations(6).queries(1000).seed(2).build();
            case "boundary" -> BoundaryAttack.builder().steps(300).queries(700).seed(2).build();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"deepfool", "cw", "fab", "hsja", "boundary"})
    void directAndWinogradKernelsAgreeOnEveryOutput(String name) {
        Conv2dKernels.setWinograd(true);
        AttackResult r = attack(name).run(model, x, new Misclassification(y));
        int fooled = 0;
        for (boolean s : r.success()) if (s) fooled++;
        assertTrue(fooled >= y.length / 2, name + " fooled only " + fooled + " of " + y.length);
        Tensor adv = r.adversarial();
        float[] zWino = model.logits(adv).data();
        int[] wino = model.predict(adv);
        Conv2dKernels.setWinograd(false);
        float[] zDirect = model.logits(adv).data();
        int[] direct = model.predict(adv);
        Conv2dKernels.setWinograd(true);
        assertFalse(Arrays.equals(zWino, zDirect), "the two engines should differ in the last bits, or the test tests nothing");
        assertArrayEquals(wino, direct, name + ": the engines classify the outputs differently");
        assertArrayEquals(r.predictions(), wino, name + ": the attack's own verification");
        for (int i = 0; i < y.length; i++) {
            assertEquals(r.success()[i], direct[i] != y[i], name + ": success of " + i + " under the direct kernels");
            if (!r.success()[i]) continue;
            // The lead is what protects the flip: it must dwarf what the engines disagree by on that row.
            double noise = 0;
            for (int j = i * 10; j < (i + 1) * 10; j++) noise = Math.max(noise, Math.abs(zWino[j] - zDirect[j]));
            double lead = DecisionMargin.win(zWino, i * 10, 10, false, y[i]);
            assertTrue(lead > 10 * noise, name + ": example " + i + " leads by " + lead + ", the engines differ by " + noise);
        }
    }
}
