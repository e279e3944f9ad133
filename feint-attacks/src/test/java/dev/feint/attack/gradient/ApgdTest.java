package dev.feint.attack.gradient;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackResult;
import dev.feint.attack.Loss;
import dev.feint.attack.Misclassification;
import dev.feint.attack.Norm;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.model.NetworkModel;
import dev.feint.nn.NetworkFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** APGD on a real trained model (the bundled PGD-trained LeNet on the bundled Fashion-MNIST slice). */
class ApgdTest {
    static final Path DEMO = Path.of("..", "demo");

    static NetworkModel model(String file) { return NetworkModel.of(NetworkFile.load(DEMO.resolve("models").resolve(file)).network()); }

    static Dataset data(int n) { return Datasets.load(DEMO.resolve("fashion-mnist-1k").toString(), "test").slice(0, n); }

    static double robust(AttackResult r) {
        int c = 0;
        for (boolean s : r.success()) if (!s) c++;
        return (double) c / r.success().length;
    }

    @Test
    void checkpointsAreThePapers() {
        assertArrayEquals(new int[] {22, 41, 57, 70, 80, 87, 93, 99}, ApgdRun.checkpoints(100));
        assertArrayEquals(new int[] {2, 3, 4, 5, 6, 7, 8, 9, 10}, ApgdRun.checkpoints(10)); // windows of 2, then at least 1
        assertArrayEquals(new int[] {1}, ApgdRun.checkpoints(1));
    }

    /** The L1 step's projection onto ball and box: feasible, and no sampled feasible point is closer. */
    @Test
    void l1BoxProjectionIsFeasibleAndClosest() {
        java.util.SplittableRandom r = new java.util.SplittableRandom(5);
        int d = 6;
        for (int trial = 0; trial < 40; trial++) {
            float[] x0 = new float[d], x = new float[d];
            for (int j = 0; j < d; j++) {
                x0[j] = (float) r.nextDouble();
                x[j] = (float) (x0[j] + 1.5 * (r.nextDouble() - 0.5));
            }
            float eps = (float) (0.05 + r.nextDouble());
            float[] z = x.clone();
            ApgdRun.projectL1Box(z, x0, 0, d, eps, 0f, 1f);
            double l1 = 0, dist = 0;
            for (int j = 0; j < d; j++) {
                assertTrue(z[j] >= 0f && z[j] <= 1f, "outside the box");
                l1 += Math.abs(z[j] - x0[j]);
                dist += (z[j] - x[j]) * (double) (z[j] - x[j]);
            }
            assertTrue(l1 <= eps * (1 + 1e-5) + 1e-6, "outside the ball: " + l1 + " > " + eps);
            for (int s = 0; s < 2000; s++) {
                double[] p = new double[d];
                double pl1 = 0, pd = 0;
                for (int j = 0; j < d; j++) {
                    p[j] = r.nextDouble();
                    pl1 += Math.abs(p[j] - x0[j]);
                }
                double f = pl1 > eps ? eps / pl1 : 1;
                for (int j = 0; j < d; j++) {
                    double q = x0[j] + (p[j] - x0[j]) * f;
                    pd += (q - x[j]) * (q - x[j]);
                }
                assertTrue(dist <= pd + 1e-5, "a feasible point is closer: " + pd + " < " + dist);
            }
        }
    }

    /** The paper's claim, on a real model: with the same gradient budget APGD leaves fewer examples robust than PGD. */
    @Test
    void beatsPgdWithTheSameBudgetOnATrainedModel() {
        NetworkModel m = model("fmnist-lenet-pgd.safetensors");
        Dataset d = data(120);
        Misclassification crit = new Misclassification(d.labels());
        Attack pgd = Pgd.builder().eps(0.15f).steps(21).seed(1).build(), apgd = Apgd.builder().eps(0.15f).steps(20).seed(1).build();
        AttackResult p = pgd.run(m, d.images(), crit), a = apgd.run(m, d.images(), crit);
        assertTrue(a.totalGradients() <= p.totalGradients(), "budget: apgd " + a.totalGradients() + " vs pgd " + p.totalGradients());
        assertTrue(robust(a) < robust(p), "apgd robust accuracy " + robust(a) + " not below pgd's " + robust(p));
    }

    @Test
    void dlrAndTargetedAndEveryNormBreakTheStandardModel() {
        NetworkModel m = model("fmnist-lenet.safetensors");
        Dataset d = data(24);
        Misclassification crit = new Misclassification(d.labels());
        double clean = robust(Fgsm.builder().eps(0f).build().run(m, d.images(), crit));
        for (Attack a : new Attack[] {Apgd.builder().eps(0.1f).loss(Loss.DLR).steps(10).build(),
                ApgdT.builder().eps(0.1f).steps(5).targets(2).build(), Apgd.builder().norm(Norm.L2).eps(1.5f).steps(10).build(),
                Apgd.builder().norm(Norm.L1).eps(12f).steps(10).build()}) {
            AttackResult r = a.run(m, d.images(), crit);
            assertTrue(robust(r) < 0.5 * clean, a.parameters() + ": robust " + robust(r) + " vs clean " + clean);
            for (int i = 0; i < r.success().length; i++) assertTrue(r.size()[i] <= a.eps() * (1 + 1e-5), a.name() + " left the ball");
        }
    }

    @Test
    void restartsOnlyHelp() {
        NetworkModel m = model("fmnist-lenet-pgd.safetensors");
        Dataset d = data(40);
        Misclassification crit = new Misclassification(d.labels());
        AttackResult one = Apgd.builder().eps(0.1f).steps(10).seed(2).build().run(m, d.images(), crit);
        AttackResult three = Apgd.builder().eps(0.1f).steps(10).restarts(3).seed(2).build().run(m, d.images(), crit);
        for (int i = 0; i < one.success().length; i++)
            if (one.success()[i]) assertTrue(three.success()[i], "example " + i + " broken by 1 restart, not by 3");
        assertTrue(robust(three) <= robust(one));
    }
}
