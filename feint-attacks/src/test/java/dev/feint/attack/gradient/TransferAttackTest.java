package dev.feint.attack.gradient;

import dev.feint.attack.AttackContext;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackResult;
import dev.feint.attack.Misclassification;
import dev.feint.autograd.ConvOptions;
import dev.feint.autograd.Convolutions;
import dev.feint.autograd.Grad;
import dev.feint.model.LossFunction;
import dev.feint.tensor.Tensor;
import dev.feint.testing.TinyProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transfer family against independent computations: each step re-derived here from plain
 * gradients of the model (NI's look-ahead, SI's 2^-i chain rule, VMI's variance from the same
 * (seed, index) streams), TI's smoothing against a direct depthwise convolution, DI's transpose
 * against its adjoint identity, and the settings that reduce an attack to MI-FGSM bit for bit.
 */
class TransferAttackTest {
    static final TinyProblem P = TinyProblem.get();
    static final int N = P.testY.length, D = TinyProblem.D;
    static final float EPS = 2f, ALPHA = 0.3f; // an L2 ball large enough that the projection does not bind

    float[] run(String spec) {
        AttackResult r = AttackRegistry.create(spec).run(P.model, P.testX, new Misclassification(P.testY));
        return r.adversarial().data();
    }

    @ParameterizedTest
    @ValueSource(strings = {"difgsm:diversityProb=0", "tifgsm:kernelSize=1", "sifgsm:scales=1", "vmifgsm:steps=1"})
    void reducesToMiFgsmBitForBit(String spec) {
        String steps = spec.contains("steps=") ? "" : ",steps=10";
        assertArrayEquals(run("mifgsm:eps=0.25" + (spec.contains("steps=1") ? ",steps=1" : steps)), run(spec + ",eps=0.25" + steps), spec);
    }

    @Test
    void tiKernelIsSizedToTheImageUnlessGiven() {
        int[][] sideToKernel = {{4, 3}, {16, 3}, {28, 7}, {32, 7}, {40, 9}, {59, 13}, {60, 15}, {224, 15}, {299, 15}};
        for (int[] sk : sideToKernel) assertEquals(sk[1], TransferSettings.autoKernel(sk[0], sk[0] + 5), "side " + sk[0]);
        assertEquals(7, TransferSettings.autoKernel(200, 28), "the shorter side decides");
        assertEquals("auto", AttackRegistry.create("tifgsm:eps=0.25").parameters().get("kernelSize"));
        assertEquals(5L, AttackRegistry.create("tifgsm:eps=0.25,kernelSize=5").parameters().get("kernelSize"));
        // TinyProblem's images are 4 x 4: auto is the 3-pixel kernel, bit for bit
        assertArrayEquals(run("tifgsm:eps=0.25,kernelSize=3"), run("tifgsm:eps=0.25"));
        assertFalse(java.util.Arrays.equals(run("tifgsm:eps=0.25,kernelSize=1"), run("tifgsm:eps=0.25")));
        for (String bad : new String[] {"big", "4"}) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.feint.attack.ParameterException.class,
                    () -> AttackRegistry.create("tifgsm:eps=0.25,kernelSize=" + bad));
            assertEquals("tifgsm: parameter kernelSize = " + bad + ", expected auto or an odd whole number >= 1", e.getMessage());
        }
    }

    @Test
    void diversityChangesTheResult() {
        assertFalse(java.util.Arrays.equals(run("mifgsm:eps=0.25"), run("difgsm:eps=0.25,diversityProb=1")));
    }

    @Test
    void nesterovStepsFromTheLookAhead() {
        float[] x0 = P.testX.data(), g0 = grad(x0), x1 = step(x0, x0, g0);
        float[] mom = l1(g0), look = x1.clone();
        for (int i = 0; i < look.length; i++) look[i] = clamp(look[i] + ALPHA * 1f * D * mom[i]); // decay 1, mean-scaled momentum
        float[] g1 = l1(grad(look));
        for (int i = 0; i < mom.length; i++) mom[i] = mom[i] + g1[i];
        assertClose(step(x0, x1, mom), run("nifgsm:norm=l2,eps=" + EPS + ",steps=2,stepSize=" + ALPHA));
    }

    @Test
    void scaleCopiesWeighTheirChainRuleFactor() {
        float[] x0 = P.testX.data(), half = x0.clone();
        for (int i = 0; i < half.length; i++) half[i] *= 0.5f;
        float[] g = grad(x0), gh = grad(half);
        for (int i = 0; i < g.length; i++) g[i] = (g[i] + 0.5f * gh[i]) / 2;
        assertClose(step(x0, x0, g), run("sifgsm:norm=l2,eps=" + EPS + ",steps=1,stepSize=" + ALPHA + ",scales=2"));
    }

    @Test
    void varianceTuningAddsTheNeighboursMeanMinusTheGradient() {
        int samples = 3;
        float beta = 0.5f, radius = beta * EPS;
        long seed = 5;
        float[] x0 = P.testX.data(), g0 = grad(x0), x1 = step(x0, x0, g0), mom = l1(g0);
        float[] v = new float[N * D];
        SplittableRandom[] rng = new SplittableRandom[N];
        for (int r = 0; r < N; r++) rng[r] = AttackContext.stream(seed, r);
        for (int s = 0; s < samples; s++) {
            float[] p = new float[N * D];
            for (int r = 0; r < N; r++)
                for (int i = r * D; i < (r + 1) * D; i++) p[i] = clamp(x0[i] + (float) ((2 * rng[r].nextDouble() - 1) * radius));
            float[] gs = grad(p);
            for (int i = 0; i < v.length; i++) v[i] += gs[i] / samples;
        }
        for (int i = 0; i < v.length; i++) v[i] -= g0[i];
        float[] g1 = grad(x1);
        for (int i = 0; i < g1.length; i++) g1[i] += v[i];
        g1 = l1(g1);
        for (int i = 0; i < mom.length; i++) mom[i] += g1[i];
        assertClose(step(x0, x1, mom), run("vmifgsm:norm=l2,eps=" + EPS + ",steps=2,stepSize=" + ALPHA + ",samples=" + samples
                + ",beta=" + beta + ",seed=" + seed));
    }

    @Test
    void gaussianKernelIsNormalisedSymmetricAndPeaked() {
        float[] k = GaussianSmoothing.kernel1d(15, 3f);
        double s = 0;
        for (float v : k) s += v;
        assertEquals(1.0, s, 1e-6);
        for (int i = 0; i < 7; i++) {
            assertEquals(k[i], k[14 - i], 1e-9f);
            assertTrue(k[i] < k[i + 1], "not increasing to the centre at " + i);
        }
        assertEquals(Math.exp(-4.5), k[0] / k[7], 1e-6); // the ends at 3 standard deviations
        assertArrayEquals(new float[] {1f}, GaussianSmoothing.kernel1d(1, 3f));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 5, 15})
    void smoothingEqualsADirectDepthwiseConvolution(int size) {
        int n = 2, c = 3, h = 9, w = 11;
        SplittableRandom rng = new SplittableRandom(size);
        float[] g = new float[n * c * h * w];
        for (int i = 0; i < g.length; i++) g[i] = (float) rng.nextGaussian();
        float[] k1 = GaussianSmoothing.kernel1d(size, 3f), k2 = new float[c * size * size];
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < size; i++)
                for (int j = 0; j < size; j++) k2[(ch * size + i) * size + j] = k1[i] * k1[j];
        float[] expected;
        try (var ng = Grad.noGrad()) {
            expected = Convolutions.conv2d(Tensor.of(g.clone(), n, c, h, w), Tensor.of(k2, c, 1, size, size), null,
                    ConvOptions.of(1, size / 2, 1).withGroups(c)).data();
        }
        new GaussianSmoothing(size, 3f).smooth(g, n, c, h, w);
        for (int i = 0; i < g.length; i++) assertEquals(expected[i], g[i], 1e-5f, "at " + i);
    }

    @Test
    void diversityTransposeIsTheAdjoint() {
        int c = 2, h = 10, w = 7, d = c * h * w;
        SplittableRandom rng = new SplittableRandom(9);
        for (int trial = 0; trial < 20; trial++) {
            InputDiversity t = InputDiversity.draw(c, h, w, 1f, 0.6f, rng);
            assertFalse(t.identity());
            float[] x = new float[d], y = new float[d], tx = new float[d], ty = new float[d];
            for (int i = 0; i < d; i++) {
                x[i] = (float) rng.nextGaussian();
                y[i] = (float) rng.nextGaussian();
            }
            t.apply(x, tx, 0, d, 0f);
            t.transpose(y, ty, 0, d);
            double a = 0, b = 0;
            for (int i = 0; i < d; i++) {
                a += (double) tx[i] * y[i];
                b += (double) x[i] * ty[i];
            }
            assertEquals(a, b, 1e-4, "<Tx, y> != <x, T^T y>");
        }
        assertTrue(InputDiversity.draw(c, h, w, 0f, 0.9f, rng).identity());
    }

    // --- the reference computations ---

    static float[] grad(float[] x) {
        return P.model.gradient(Tensor.of(x.clone(), N, 1, 4, 4), LossFunction.crossEntropy(P.testY)).grad().clone();
    }

    /** x + ALPHA * dir / ||dir||_2 per row, projected onto the L2 EPS-ball around x0 and clamped to [0, 1]. */
    static float[] step(float[] x0, float[] x, float[] dir) {
        float[] o = x.clone();
        dev.feint.attack.Norm.L2.ascend(o, dir, N, D, ALPHA);
        dev.feint.attack.Norm.L2.project(o, x0, N, D, EPS);
        for (int i = 0; i < o.length; i++) o[i] = clamp(o[i]);
        return o;
    }

    static float[] l1(float[] g) {
        float[] o = new float[g.length];
        for (int r = 0; r < N; r++) {
            double s = 0;
            for (int i = r * D; i < (r + 1) * D; i++) s += Math.abs(g[i]);
            for (int i = r * D; i < (r + 1) * D; i++) o[i] = (float) (g[i] / s);
        }
        return o;
    }

    static float clamp(float v) { return Math.max(0f, Math.min(1f, v)); }

    static void assertClose(float[] expected, float[] actual) {
        for (int i = 0; i < expected.length; i++) assertEquals(expected[i], actual[i], 2e-5f, "at " + i);
    }
}
