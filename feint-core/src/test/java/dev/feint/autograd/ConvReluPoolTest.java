package dev.feint.autograd;

import dev.feint.tensor.Parallel;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused conv + ReLU + max-pool equals the three ops in sequence, values and gradients, bit for bit. */
class ConvReluPoolTest {
    private static Tensor rand(SplittableRandom r, int... dims) {
        Shape s = Shape.of(dims);
        float[] d = new float[s.size()];
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextDouble() * 2 - 1);
        return new Tensor(s, d);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12})
    void fusedEqualsUnfused(int seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int n = 1 + r.nextInt(3), c = 1 + r.nextInt(4), o = 1 + r.nextInt(7), k = 1 + r.nextInt(4);
        int stride = 1 + r.nextInt(2), pad = r.nextInt(k), h = k + r.nextInt(9), w = k + r.nextInt(9);
        int outH = (h + 2 * pad - k) / stride + 1, outW = (w + 2 * pad - k) / stride + 1;
        int pool = 1 + r.nextInt(Math.min(3, Math.min(outH, outW)));
        boolean withBias = r.nextBoolean();
        Tensor x = rand(r, n, c, h, w), wt = rand(r, o, c, k, k), b = withBias ? rand(r, o) : null;
        float[][] fused = run(x, wt, b, stride, pad, pool, true, r.split()), plain = run(x, wt, b, stride, pad, pool, false, r.split());
        String what = "n" + n + " c" + c + " " + h + "x" + w + " o" + o + " k" + k + " s" + stride + " p" + pad + " pool" + pool;
        for (int i = 0; i < fused.length; i++) assertArrayEquals(plain[i], fused[i], what + " part " + i);
        boolean anyGrad = false;
        for (float v : fused[1]) anyGrad |= v != 0f;
        assertTrue(anyGrad, what + ": no input gradient flowed, the comparison proves little");
    }

    /** {output, grad x, grad w, grad bias} for a fixed random upstream gradient. */
    private static float[][] run(Tensor x0, Tensor w0, Tensor b0, int stride, int pad, int pool, boolean fused, SplittableRandom r) {
        Tensor x = copy(x0), w = copy(w0), b = b0 == null ? null : copy(b0);
        Tensor y = fused ? Convolutions.conv2dReluPool(x, w, b, stride, pad, 1, pool)
                : pool(Unary.relu(Convolutions.conv2d(x, w, b, stride, pad, 1)), pool);
        Tensor up = rand(new SplittableRandom(5), y.shape().dims());
        y.mul(up).sum().backward();
        return new float[][] {y.data(), x.grad(), w.grad(), b == null ? new float[0] : b.grad()};
    }

    private static Tensor pool(Tensor t, int pool) { return pool == 1 ? t : Pooling.maxPool2d(t, pool, pool, 0); }

    private static Tensor copy(Tensor t) { return new Tensor(t.shape(), t.data().clone()).requiresGrad(true); }

    @Test
    void wideRowsAndLargeBatchMatchUnfused() {
        SplittableRandom r = new SplittableRandom(77);
        // Pooled rows of 20 and 37 outputs, and channel counts of one and two vectors plus a
        // ragged tail ({n, c, h, w, o, pool}): both the vector and the scalar epilogues.
        for (int[] s : new int[][] {{5, 2, 9, 40, 3, 2}, {2, 1, 6, 75, 4, 2}, {3, 3, 12, 50, 2, 3},
                                    {3, 4, 10, 12, 40, 2}, {2, 3, 9, 9, 16, 2}, {2, 2, 9, 10, 35, 3}, {2, 2, 7, 6, 33, 1},
                                    {3, 16, 10, 12, 40, 2}, {1, 20, 9, 9, 8, 1}}) {     // 16+ input channels: the input gradient as a conv
            Tensor x = rand(r, s[0], s[1], s[2], s[3]), w = rand(r, s[4], s[1], 3, 3), b = rand(r, s[4]);
            float[][] fused = run(x, w, b, 1, 1, s[5], true, r), plain = run(x, w, b, 1, 1, s[5], false, r);
            for (int i = 0; i < fused.length; i++) assertArrayEquals(plain[i], fused[i], java.util.Arrays.toString(s) + " part " + i);
        }
        // 5x5 kernels with 16+ channels: Winograd forward (odd outputs: the last tile half used) and input gradient.
        // madry-cnn's conv1 (one channel, 32 filters, 28x28, pool 2) and a ragged second panel without pooling:
        // the weight gradient's panels written straight from the pooled gradient.
        for (int[] s : new int[][] {{2, 16, 14, 14, 32, 2}, {1, 20, 9, 11, 17, 2}, {2, 17, 8, 8, 16, 1},
                                    {3, 1, 28, 28, 32, 2}, {2, 1, 11, 13, 37, 1}, {2, 2, 9, 9, 40, 3}}) {
            Tensor x = rand(r, s[0], s[1], s[2], s[3]), w = rand(r, s[4], s[1], 5, 5), b = rand(r, s[4]);
            float[][] fused = run(x, w, b, 1, 2, s[5], true, r), plain = run(x, w, b, 1, 2, s[5], false, r);
            for (int i = 0; i < fused.length; i++) assertArrayEquals(plain[i], fused[i], "5x5 " + java.util.Arrays.toString(s) + " part " + i);
        }
    }

    /**
     * Outputs of 4x4 and 2x2 pixels run many images per kernel call: the pooled and ReLU'd
     * result of each image equals the reference convolution's, then ReLU, then pooling.
     */
    @Test
    void batchedSmallOutputsMatchTheReference() {
        SplittableRandom r = new SplittableRandom(79);
        for (int[] s : new int[][] {{40, 16, 4, 4, 24, 2}, {30, 8, 2, 2, 40, 2}, {53, 12, 2, 2, 20, 1}, {9, 20, 4, 4, 8, 1}}) {
            Tensor x = rand(r, s[0], s[1], s[2], s[3]), w = rand(r, s[4], s[1], 3, 3), b = rand(r, s[4]);
            dev.feint.tensor.kernels.ConvGeometry g = new dev.feint.tensor.kernels.ConvGeometry(
                    s[0], s[1], s[2], s[3], s[4], 3, 3, 1, 1, 1, 1, 1, 1);
            float[] conv = new float[s[0] * s[4] * s[2] * s[3]];
            dev.feint.tensor.kernels.ConvReference.forward(g, x.data(), w.data(), b.data(), conv);
            Tensor want = pool(Unary.relu(new Tensor(Shape.of(s[0], s[4], s[2], s[3]), conv)), s[5]);
            Tensor got = Convolutions.conv2dReluPool(x, w, b, 1, 1, 1, s[5]);
            float[] a = want.data(), c = got.data();
            assertTrue(a.length == c.length, java.util.Arrays.toString(s));
            for (int i = 0; i < a.length; i++)
                assertTrue(Math.abs(a[i] - c[i]) <= 1e-5f * (1 + Math.abs(a[i])), java.util.Arrays.toString(s) + " element " + i + ": " + c[i] + " vs " + a[i]);
        }
    }

    @Test
    void sameBitsForOneTwoAndThreeThreads() {
        int saved = Parallel.threads();
        try {
            SplittableRandom r = new SplittableRandom(78);
            Tensor x = rand(r, 7, 3, 14, 14), w = rand(r, 8, 3, 5, 5), b = rand(r, 8);
            Parallel.setThreads(1);
            float[][] one = run(x, w, b, 1, 2, 2, true, r);
            for (int t : new int[] {2, 3}) {
                Parallel.setThreads(t);
                float[][] many = run(x, w, b, 1, 2, 2, true, r);
                for (int i = 0; i < one.length; i++) assertArrayEquals(one[i], many[i], "threads " + t + " part " + i);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void noGradForwardMatches(int pool) {
        SplittableRandom r = new SplittableRandom(40 + pool);
        Tensor x = rand(r, 3, 2, 8, 8), w = rand(r, 4, 2, 3, 3), b = rand(r, 4);
        Tensor expected = pool(Unary.relu(Convolutions.conv2d(x, w, b, 1, 1, 1)), pool);
        try (var ng = Grad.noGrad()) {
            assertArrayEquals(expected.data(), Convolutions.conv2dReluPool(x, w, b, 1, 1, 1, pool).data());
        }
    }
}
