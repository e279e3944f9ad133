package dev.feint.attack.gradient;

import dev.feint.attack.Loss;
import dev.feint.attack.AttackResult;
import dev.feint.attack.Misclassification;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Goodfellow et al.'s linear explanation: on a linear softmax model, eps*sign(w_j - w_y) moves
 * the logit gap z_j - z_y by exactly eps*||w_j - w_y||_1. FGSM takes that step when the loss
 * gradient points along w_j - w_y: always for two classes (cross-entropy), and for the margin
 * loss with any number of classes (j the top other class). x sits mid-box so nothing clips.
 */
class LinearExplanationTest {
    @ParameterizedTest(name = "{0} classes, {1}, eps {2}, seed {3}")
    @CsvSource({"2, ce, 0.1, 1", "2, ce, 0.03, 2", "3, margin, 0.1, 3", "5, margin, 0.2, 4"})
    void fgsmMovesTheLogitGapByEpsTimesL1(int k, String lossName, float eps, long seed) {
        Loss loss = Loss.parse(lossName);
        int d = 16;
        Network net = Network.create(new Architecture("lin", new int[] {1, 4, 4}, k,
                List.of(LayerSpec.of("flatten"), LayerSpec.of("linear", "in", d, "out", k))), seed);
        float[] w = net.body().namedParameters().get("1.weight").data();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < w.length; i++) w[i] = (float) (rng.nextDouble() * 2 - 1); // no zero weights, no zero gradient
        NetworkModel model = NetworkModel.of(net);
        int n = 4;
        float[] xs = new float[n * d];
        for (int i = 0; i < xs.length; i++) xs[i] = 0.4f + 0.2f * (float) rng.nextDouble();
        Tensor x = Tensor.of(xs, n, 1, 4, 4);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % k;
        float[] z0 = model.logits(x).data();
        AttackResult r = Fgsm.builder().eps(eps).loss(loss).build().run(model, x, new Misclassification(y));
        float[] z1 = model.logits(r.adversarial()).data();
        for (int i = 0; i < n; i++) {
            int j = topOther(z0, i, k, y[i]);
            double l1 = 0;
            for (int c = 0; c < d; c++) l1 += Math.abs(w[j * d + c] - w[y[i] * d + c]);
            double moved = (z1[i * k + j] - z1[i * k + y[i]]) - (z0[i * k + j] - z0[i * k + y[i]]);
            assertEquals(eps * l1, moved, 1e-4 * Math.max(1, eps * l1), "example " + i + " gap " + Arrays.toString(z0));
        }
    }

    private static int topOther(float[] z, int i, int k, int y) {
        int best = -1;
        for (int j = 0; j < k; j++) if (j != y && (best < 0 || z[i * k + j] > z[i * k + best])) best = j;
        return best;
    }
}
