package dev.feint.model;

import dev.feint.FeintException;
import dev.feint.autograd.Grad;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DLR losses: values against the paper's formula, central-difference gradients, edge cases. */
class DlrTest {
    /** Logits with distinct values about 0.5 apart, so a step of 1e-3 never reorders them. */
    static float[] spread(int n, int k, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] z = new float[n * k];
        for (int i = 0; i < n; i++) {
            int[] perm = new int[k];
            for (int j = 0; j < k; j++) perm[j] = j;
            for (int j = k - 1; j > 0; j--) {
                int q = r.nextInt(j + 1), t = perm[j];
                perm[j] = perm[q];
                perm[q] = t;
            }
            for (int j = 0; j < k; j++) z[i * k + j] = 0.5f * perm[j] + 0.01f * (float) r.nextDouble() - 2f;
        }
        return z;
    }

    /** The paper's formulas, straight from a sorted copy, in double. */
    static double reference(float[] z, int off, int k, int y, int t) {
        double[] s = new double[k];
        for (int j = 0; j < k; j++) s[j] = z[off + j];
        java.util.Arrays.sort(s); // ascending: s[k-1] = z_pi1
        if (t < 0) {
            double other = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) if (j != y) other = Math.max(other, z[off + j]);
            return -(z[off + y] - other) / (s[k - 1] - s[k - 3] + 1e-12);
        }
        return -(z[off + y] - z[off + t]) / (s[k - 1] - (s[k - 3] + s[k - 4]) / 2 + 1e-12);
    }

    static void check(String what, LossFunction f, float[] z0, int n, int k, int[] y, int[] t) {
        Tensor z = Tensor.of(z0.clone(), n, k).requiresGrad(true);
        Tensor out = f.apply(z);
        for (int i = 0; i < n; i++)
            assertEquals(reference(z0, i * k, k, y[i], t == null ? -1 : t[i]), out.data()[i], 1e-5, what + ": value of row " + i);
        out.sum().backward();
        float[] g = z.grad();
        double h = 1e-3;
        boolean nonZero = false;
        for (int j = 0; j < n * k; j++) {
            float[] up = z0.clone(), down = z0.clone();
            up[j] += (float) h;
            down[j] -= (float) h;
            double num = (sum(f, up, n, k) - sum(f, down, n, k)) / ((double) up[j] - down[j]);
            assertEquals(num, g[j], 2e-3 * Math.max(1, Math.abs(num)), what + ": d/dz[" + j + "]");
            nonZero |= g[j] != 0;
        }
        assertTrue(nonZero, what + ": all gradients zero");
    }

    static double sum(LossFunction f, float[] z, int n, int k) {
        try (var ng = Grad.noGrad()) {
            double s = 0;
            for (float v : f.apply(Tensor.of(z, n, k)).data()) s += v;
            return s;
        }
    }

    @Test
    void untargetedMatchesThePaperAndItsGradient() {
        int n = 6, k = 10;
        float[] z = spread(n, k, 1);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = (i * 7) % k;
        y[0] = argmax(z, 0, k); // the label on top: the other class is the second largest
        check("dlr", LossFunction.dlr(y), z, n, k, y, null);
    }

    @Test
    void targetedMatchesThePaperAndItsGradient() {
        int n = 6, k = 10;
        float[] z = spread(n, k, 2);
        int[] y = new int[n], t = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = (i * 3) % k;
            t[i] = (y[i] + 1 + i) % k;
        }
        t[1] = argmax(z, k, k) == y[1] ? (y[1] + 1) % k : argmax(z, k, k); // target on top
        check("targeted dlr", LossFunction.targetedDlr(y, t), z, n, k, y, t);
    }

    @Test
    void sizeOneBatchesAndFewestClasses() {
        float[] z3 = {0.3f, -1.1f, 0.9f}, z4 = {0.3f, -1.1f, 0.9f, 2.0f};
        check("dlr n=1 k=3", LossFunction.dlr(new int[] {0}), z3, 1, 3, new int[] {0}, null);
        check("targeted dlr n=1 k=4", LossFunction.targetedDlr(new int[] {0}, new int[] {1}), z4, 1, 4, new int[] {0}, new int[] {1});
    }

    @Test
    void invariantToShiftAndScaleOfTheLogits() {
        int n = 3, k = 5;
        float[] z = spread(n, k, 3), w = z.clone();
        for (int i = 0; i < w.length; i++) w[i] = 4 * w[i] + 3;
        int[] y = {0, 2, 4};
        try (var ng = Grad.noGrad()) {
            float[] a = LossFunction.dlr(y).apply(Tensor.of(z, n, k)).data(), b = LossFunction.dlr(y).apply(Tensor.of(w, n, k)).data();
            for (int i = 0; i < n; i++) assertEquals(a[i], b[i], 1e-5);
        }
    }

    @Test
    void tiesGiveFiniteValuesAndGradients() {
        float[] z = {1f, 1f, 1f, 1f, 0.5f, 0.5f, 0.2f, 0.5f}; // row 0 all equal; row 1 a tie at the top
        Tensor t = Tensor.of(z, 2, 4).requiresGrad(true);
        Tensor out = LossFunction.dlr(new int[] {2, 0}).apply(t);
        assertEquals(0f, out.data()[0], 0f);
        assertEquals(0f, out.data()[1], 1e-6, "label tied with the best other: zero margin");
        out.sum().backward();
        for (float g : t.grad()) assertTrue(Float.isFinite(g));
    }

    @Test
    void tooFewClassesIsAClearError() {
        assertEquals("the dlr loss needs at least 3 classes, the model has 2", assertThrows(FeintException.class,
                () -> LossFunction.dlr(new int[] {0}).apply(Tensor.of(new float[] {1, 2}, 1, 2))).getMessage());
        assertEquals("the targeted dlr loss needs at least 4 classes, the model has 3", assertThrows(FeintException.class,
                () -> LossFunction.targetedDlr(new int[] {0}, new int[] {1}).apply(Tensor.of(new float[] {1, 2, 3}, 1, 3))).getMessage());
    }

    static int argmax(float[] z, int off, int k) {
        int b = 0;
        for (int j = 1; j < k; j++) if (z[off + j] > z[off + b]) b = j;
        return b;
    }
}
