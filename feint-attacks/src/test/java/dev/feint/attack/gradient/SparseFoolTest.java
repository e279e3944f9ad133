package dev.feint.attack.gradient;

import dev.feint.attack.AttackResult;
import dev.feint.attack.internal.DecisionMargin;
import dev.feint.attack.Misclassification;
import dev.feint.attack.Norm;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.model.Bounds;
import dev.feint.model.NetworkModel;
import dev.feint.nn.NetworkFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SparseFool's linear solver crosses its hyperplane, and on the demo LeNet it changes far fewer pixels than DeepFool. */
class SparseFoolTest {
    @Test
    void theSolverCrossesTheHyperplaneWithinTheBounds() {
        SplittableRandom rng = new SplittableRandom(4);
        for (int trial = 0; trial < 50; trial++) {
            int d = 30;
            float[] x = new float[d], xb = new float[d], w = new float[d];
            for (int j = 0; j < d; j++) {
                x[j] = (float) rng.nextDouble();
                xb[j] = (float) Math.min(1, Math.max(0, x[j] + 0.2 * rng.nextGaussian()));
                w[j] = (float) rng.nextGaussian();
            }
            double before = dot(w, x, xb);
            float[] y = x.clone();
            SparseFool.solve(y, 0, xb, w, 0, d, Bounds.UNIT);
            double after = dot(w, y, xb);
            for (float v : y) assertTrue(v >= 0 && v <= 1);
            if (Math.abs(before) > 1e-6) assertTrue(Math.signum(after) != Math.signum(before), "not crossed: " + before + " -> " + after);
        }
    }

    @Test
    void sparserThanDeepFoolOnTheDemoLeNet() {
        NetworkModel m = NetworkModel.of(NetworkFile.load(Path.of("..", "demo", "models", "fmnist-lenet.safetensors")).network());
        Dataset d = Datasets.load(Path.of("..", "demo", "fashion-mnist-1k").toString(), "test").slice(0, 6);
        Misclassification crit = new Misclassification(d.labels());
        AttackResult sf = SparseFool.builder().candidates(3).build().run(m, d.images(), crit);
        AttackResult df = DeepFool.builder().norm(Norm.L2).build().run(m, d.images(), crit);
        assertTrue(sf.successRate() >= 5 / 6.0, "sparsefool success " + sf.successRate());
        float[] a = sf.l0().clone(), b = df.l0().clone();
        Arrays.sort(a);
        Arrays.sort(b);
        assertTrue(a[3] < 0.5 * b[3], "median L0: sparsefool " + a[3] + ", deepfool " + b[3]);
    }

    /** Like the other minimum-norm attacks, an example stops only once a wrong class wins by the margin (or the steps run out). */
    @Test
    void stopsOnlyOnceAWrongClassWinsByTheMargin() {
        NetworkModel m = NetworkModel.of(NetworkFile.load(Path.of("..", "demo", "models", "fmnist-lenet.safetensors")).network());
        Dataset d = Datasets.load(Path.of("..", "demo", "fashion-mnist-1k").toString(), "test").slice(0, 4);
        float margin = 0.05f;
        AttackResult r = SparseFool.builder().candidates(3).margin(margin).overshoot(0f).build().run(m, d.images(), new Misclassification(d.labels()));
        float[] z = m.logits(r.adversarial()).data();
        int met = 0, hits = 0;
        for (int i = 0; i < d.size(); i++) {
            if (!r.success()[i]) continue;
            hits++;
            if (DecisionMargin.holds(z, i, 10, false, d.labels()[i], margin)) met++;
        }
        assertTrue(hits >= 3, "sparsefool success " + hits + " of 4 with margin " + margin);
        assertEquals(hits, met, "successes that lead by the margin " + margin);
    }

    static double dot(float[] w, float[] x, float[] xb) {
        double s = 0;
        for (int j = 0; j < w.length; j++) s += (double) w[j] * (x[j] - xb[j]);
        return s;
    }
}
