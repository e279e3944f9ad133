package dev.feint.attack.gradient;

import dev.feint.FeintException;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackResult;
import dev.feint.attack.internal.DecisionMargin;
import dev.feint.attack.Misclassification;
import dev.feint.attack.Norm;
import dev.feint.attack.TargetedMisclassification;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.nn.NetworkFile;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FAB and FAB-T: exact on a linear model, invariants and success on the bundled Fashion-MNIST LeNet. */
class FabTest {
    /**
     * A 3-class linear model on 16 inputs around the centre of the box, where the minimum distance
     * in any norm is exact: min over j of |z_j - z_y| / ||w_j - w_y||_dual, clipping never active.
     */
    @ParameterizedTest
    @EnumSource(value = Norm.class, names = {"LINF", "L2", "L1"})
    void linearModelGivesTheExactMinimumAndNoMoreThanDeepFool(Norm norm) {
        int d = 16, k = 3;
        Network net = Network.create(new Architecture("lin", new int[] {1, 4, 4}, k,
                List.of(LayerSpec.of("flatten"), LayerSpec.of("linear", "in", d, "out", k))), 11);
        float[] w = net.body().namedParameters().get("1.weight").data(), bias = net.body().namedParameters().get("1.bias").data();
        for (int j = 0; j < k; j++) { // every boundary through the centre of the box: small distances, no clipping
            double s = 0;
            for (int q = 0; q < d; q++) s += 0.5 * w[j * d + q];
            bias[j] = (float) -s;
        }
        NetworkModel m = NetworkModel.of(net);
        SplittableRandom r = new SplittableRandom(5);
        int n = 12, c = 0;
        float[] xs = new float[n * d];
        double[] exact = new double[n];
        while (c < n) { // points at a distance that is neither tiny (float noise) nor large (clipping)
            float[] cand = new float[d];
            for (int q = 0; q < d; q++) cand[q] = (float) (0.5 + 0.02 * (2 * r.nextDouble() - 1));
            double e = exactDistance(m, w, cand, norm);
            if (e < 0.005 || e > 0.4) continue;
            System.arraycopy(cand, 0, xs, c * d, d);
            exact[c++] = e;
        }
        Tensor x = Tensor.of(xs, n, 1, 4, 4);
        int[] y = m.predict(x);
        AttackResult exactFab = Fab.builder().norm(norm).margin(0f).build().run(m, x, new Misclassification(y));
        AttackResult fab = Fab.builder().norm(norm).build().run(m, x, new Misclassification(y));
        AttackResult df = norm == Norm.L1 ? null : DeepFool.builder().norm(norm).build().run(m, x, new Misclassification(y));
        for (int i = 0; i < n; i++) {
            assertTrue(exactFab.success()[i] && fab.success()[i], "example " + i + " fooled");
            assertTrue(exactFab.size()[i] >= exact[i] * (1 - 1e-4) && exactFab.size()[i] <= exact[i] * 1.01,
                    norm + " margin 0: " + exactFab.size()[i] + " vs the exact " + exact[i]);
            assertTrue(fab.size()[i] >= exact[i], norm + " default margin: " + fab.size()[i] + " below the exact " + exact[i]);
            if (df != null) assertTrue(fab.size()[i] <= df.size()[i], norm + ": fab " + fab.size()[i] + " > deepfool " + df.size()[i]);
        }
    }

    private static double exactDistance(NetworkModel m, float[] w, float[] x, Norm norm) {
        int d = x.length, k = 3;
        float[] z = m.logits(Tensor.of(x.clone(), 1, 1, 4, 4)).data();
        int y = argmax(z, 0, k);
        double best = Double.POSITIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            if (j == y) continue;
            double dual = 0;
            for (int q = 0; q < d; q++) {
                double g = w[j * d + q] - w[y * d + q];
                dual = norm == Norm.LINF ? dual + Math.abs(g) : norm == Norm.L2 ? dual + g * g : Math.max(dual, Math.abs(g));
            }
            best = Math.min(best, (z[y] - z[j]) / (norm == Norm.L2 ? Math.sqrt(dual) : dual));
        }
        return best;
    }

    @Test
    void fashionMnistLenetFixedEpsAndMinimumNorm() {
        Problem p = Problem.get();
        Fab linf = Fab.builder().norm(Norm.LINF).eps(0.1f).steps(20).restarts(2).seed(4).build();
        AttackResult a = linf.run(p.model, p.x, new Misclassification(p.y));
        checkInvariants(p, a, 0.1f);
        assertTrue(a.successRate() >= 0.8, "linf eps 0.1: success " + a.successRate());
        AttackResult again = linf.run(p.model, p.x, new Misclassification(p.y));
        assertArrayEquals(a.adversarial().data(), again.adversarial().data(), "same seed, same bits");
        assertArrayEquals(a.queries(), again.queries());

        AttackResult l2 = Fab.builder().norm(Norm.L2).steps(20).build().run(p.model, p.x, new Misclassification(p.y));
        checkInvariants(p, l2, Float.NaN);
        assertTrue(l2.successRate() >= 0.9, "minimum-norm l2: success " + l2.successRate());
        for (int i = 0; i < p.y.length; i++) if (l2.success()[i]) assertTrue(l2.l2()[i] < 3f, "l2 of " + i + ": " + l2.l2()[i]);
    }

    @Test
    void fabTReachesItsTargets() {
        Problem p = Problem.get();
        int n = p.y.length, k = 10;
        int[] t = new int[n];
        float[] z = p.model.logits(p.x).data();
        for (int i = 0; i < n; i++) t[i] = rank(z, i, k, p.y[i], 2); // the third most likely other class
        AttackResult r = Fab.builder().norm(Norm.L2).steps(30).build().run(p.model, p.x, new TargetedMisclassification(t, p.y));
        checkInvariants(p, r, Float.NaN);
        int hits = 0;
        for (int i = 0; i < n; i++) {
            assertEquals(r.predictions()[i] == t[i], r.success()[i]);
            if (r.success()[i]) hits++;
        }
        assertTrue(hits >= 0.8 * n, "only " + hits + " of " + n + " targets reached");

        Fab fabT = Fab.builder().norm(Norm.LINF).eps(0.1f).targets(9).steps(20).build();
        assertEquals("fab-t", fabT.name());
        AttackResult u = fabT.run(p.model, p.x, new Misclassification(p.y));
        checkInvariants(p, u, 0.1f);
        assertTrue(u.successRate() >= 0.8, "fab-t linf 0.1: success " + u.successRate());
    }

    @Test
    void badParametersAreNamed() {
        assertEquals("fab: parameter beta = 1.0, expected a number in (0, 1)", msg(() -> Fab.builder().beta(1f).build()));
        assertEquals("fab-t: parameter norm = l0, expected linf, l2 or l1", msg(() -> Fab.builder().targets(3).norm(Norm.L0).build()));
        assertEquals("fab: parameter margin = -0.5, expected a number in [0, 1)", msg(() -> Fab.builder().margin(-0.5f).build()));
        assertEquals("fab: parameter restarts = 0, expected a whole number >= 1", msg(() -> Fab.builder().restarts(0).build()));
        assertEquals("fab-t: parameter margin = 2.0, expected a number in [0, 1)", msg(() -> AttackRegistry.create("fab-t:margin=2")));
        assertEquals(9L, AttackRegistry.create("fab-t").parameters().get("targets"), "fab-t: AutoAttack's 9 targets");
        assertEquals(0L, AttackRegistry.create("fab:norm=l2").parameters().get("targets"));
    }

    /** Bounds, the eps-ball, success re-verified by a fresh pass and won by the margin, clean mistakes untouched. */
    static void checkInvariants(Problem p, AttackResult r, float eps) {
        int n = p.y.length, d = 784;
        float[] adv = r.adversarial().data(), x0 = p.x.data();
        float[] z = p.model.logits(Tensor.of(adv.clone(), n, 1, 28, 28)).data();
        for (int i = 0; i < n; i++) {
            for (int q = i * d; q < (i + 1) * d; q++) assertTrue(adv[q] >= 0f && adv[q] <= 1f, "outside the bounds");
            if (!Float.isNaN(eps)) assertTrue(r.norm().measure(adv, x0, i * d, d) <= eps + 1e-6, "outside the eps-ball: " + i);
            int pred = argmax(z, i, 10);
            assertEquals(pred, r.predictions()[i], "fresh prediction of " + i);
            if (r.success()[i] && r.size()[i] > 0)
                assertTrue(DecisionMargin.win(z, i * 10, 10, false, p.y[i]) > DecisionMargin.gap(z, i * 10, 10, DecisionMargin.DEFAULT * 0.99f),
                        "example " + i + " is adversarial by less than the margin");
            if (!r.success()[i]) assertEquals(0f, r.size()[i], "a failure is returned unchanged");
        }
    }

    static int argmax(float[] z, int i, int k) {
        int b = 0;
        for (int j = 1; j < k; j++) if (z[i * k + j] > z[i * k + b]) b = j;
        return b;
    }

    static int rank(float[] z, int i, int k, int label, int r) {
        Integer[] idx = new Integer[k];
        for (int j = 0; j < k; j++) idx[j] = j;
        Arrays.sort(idx, (a, b) -> Float.compare(z[i * k + b], z[i * k + a]));
        int seen = 0;
        for (int j : idx) if (j != label && seen++ == r) return j;
        throw new IllegalStateException();
    }

    static String msg(org.junit.jupiter.api.function.Executable e) { return assertThrows(FeintException.class, e).getMessage(); }

    /** The first 12 correctly classified test images of demo/fashion-mnist-1k and the bundled standard LeNet. */
    static final class Problem {
        private static Problem instance;
        final NetworkModel model;
        final Tensor x;
        final int[] y;

        private Problem() {
            model = NetworkModel.of(NetworkFile.load(Path.of("../demo/models/fmnist-lenet.safetensors")).network());
            Dataset data = Datasets.load("../demo/fashion-mnist-1k", "test").slice(0, 40);
            int[] pred = model.predict(data.images()), labels = data.labels(), keep = new int[12];
            int c = 0;
            for (int i = 0; i < labels.length && c < keep.length; i++) if (pred[i] == labels[i]) keep[c++] = i;
            Dataset s = data.subset(Arrays.copyOf(keep, c));
            x = s.images();
            y = s.labels();
        }

        static synchronized Problem get() {
            if (instance == null) instance = new Problem();
            return instance;
        }
    }
}
