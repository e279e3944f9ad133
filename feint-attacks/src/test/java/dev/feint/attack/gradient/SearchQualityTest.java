package dev.feint.attack.gradient;

import dev.feint.attack.AttackResult;
import dev.feint.attack.Misclassification;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.testing.TinyProblem;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The searches find what they promise: PGD keeps its best, minimum-norm attacks find the boundary. */
class SearchQualityTest {
    @Test
    void moreStepsOrRestartsNeverLoseASuccess() {
        TinyProblem p = TinyProblem.get();
        Misclassification c = new Misclassification(p.testY);
        float eps = 0.08f; // small enough that some examples survive
        AttackResult base = Pgd.builder().eps(eps).steps(4).stepSize(0.02f).seed(5).build().run(p.model, p.testX, c);
        AttackResult longer = Pgd.builder().eps(eps).steps(12).stepSize(0.02f).seed(5).build().run(p.model, p.testX, c);
        AttackResult restarts = Pgd.builder().eps(eps).steps(4).stepSize(0.02f).restarts(3).seed(5).build().run(p.model, p.testX, c);
        int b = 0;
        for (int i = 0; i < p.testY.length; i++) {
            if (!base.success()[i]) continue;
            b++;
            assertTrue(longer.success()[i] && restarts.success()[i], "example " + i + " lost");
        }
        assertTrue(b > 0 && b < p.testY.length, "eps must leave some examples on each side: " + b);
    }

    @Test
    void deepFoolAndCarliniWagnerFindTheLinearBoundary() {
        int d = 16, n = 4;
        Network net = Network.create(new Architecture("lin", new int[] {1, 4, 4}, 2,
                List.of(LayerSpec.of("flatten"), LayerSpec.of("linear", "in", d, "out", 2))), 11);
        float[] w = net.body().namedParameters().get("1.weight").data(), b = net.body().namedParameters().get("1.bias").data();
        NetworkModel m = NetworkModel.of(net);
        double wn = 0, mid = 0;
        for (int j = 0; j < d; j++) {
            wn += Math.pow(w[d + j] - w[j], 2);
            mid += 0.5 * (w[d + j] - w[j]);
        }
        b[1] = (float) (b[0] - mid); // the boundary passes through the centre of the box
        SplittableRandom rng = new SplittableRandom(2);
        float[] xs = new float[n * d];
        double[] dist = new double[n];
        for (int i = 0; i < n; i++) { // x = centre + s * unit normal: exact distance |s|, no clipping near
            double s = (0.05 + 0.1 * rng.nextDouble()) * (i % 2 == 0 ? 1 : -1);
            dist[i] = Math.abs(s);
            for (int j = 0; j < d; j++) xs[i * d + j] = (float) (0.5 + s * (w[d + j] - w[j]) / Math.sqrt(wn));
        }
        Tensor x = Tensor.of(xs, n, 1, 4, 4);
        int[] y = m.predict(x);
        AttackResult df = DeepFool.builder().build().run(m, x, new Misclassification(y));
        AttackResult cw = CarliniWagnerL2.builder().build().run(m, x, new Misclassification(y));
        for (int i = 0; i < n; i++) {
            assertTrue(df.success()[i] && cw.success()[i]);
            assertEquals(1.02 * dist[i], df.l2()[i], 1e-3, "deepfool: one step plus 2% overshoot");
            assertTrue(cw.l2()[i] >= dist[i] * (1 - 1e-3) && cw.l2()[i] <= 1.02 * dist[i], "cw " + cw.l2()[i] + " vs exact " + dist[i]);
        }
    }
}
