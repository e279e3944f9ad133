package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feint.tensor.Parallel;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ChannelsLastForward} against the scalar {@link ConvReference} followed by a scalar clamp
 * and transpose: NCHW and channels-last input, with and without a clamp, one to three threads.
 */
class ChannelsLastForwardTest {
    private final int savedThreads = Parallel.threads();
    private final boolean savedWinograd = Conv2dKernels.winograd();

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
        Conv2dKernels.setWinograd(savedWinograd);
    }

    /** The random geometries of Conv2dKernelsTest, depthwise ones, and the shapes of ResNet/MobileNet layers. */
    static List<ConvGeometry> geometries() {
        List<ConvGeometry> gs = new ArrayList<>(Conv2dKernelsTest.geometries());
        Random r = new Random(5);
        for (int stride : new int[] {1, 2})
            for (int pad : new int[] {0, 1})
                for (int m : new int[] {1, 2}) {
                    int c = 1 + r.nextInt(40), h = 1 + r.nextInt(9), w = 1 + r.nextInt(11);
                    int k = pad == 0 ? 1 : 3;
                    if (h + 2 * pad < k || w + 2 * pad < k) continue;
                    gs.add(new ConvGeometry(1 + r.nextInt(3), c, h, w, c * m, k, k, stride, stride, pad, pad, pad, pad, 1, 1, c));
                }
        gs.add(new ConvGeometry(3, 17, 5, 5, 17, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 17));       // depthwise, odd channels
        gs.add(new ConvGeometry(2, 64, 2, 2, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 64));       // tiny map, many channels
        gs.add(new ConvGeometry(5, 16, 4, 4, 96, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1));        // 1x1, images per call > 1
        gs.add(new ConvGeometry(3, 24, 2, 2, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));        // 3x3 on 2x2, images per call > 1
        gs.add(new ConvGeometry(2, 12, 7, 5, 20, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1));        // 1x1 stride 2 (a downsample)
        gs.add(new ConvGeometry(1, 3, 16, 16, 32, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1));       // a stem
        // Slivers with fewer real rows than the micro-kernel's: one pixel on 3 panels (a pair and a
        // single), one-run and several-run k blocks on 4 pixels, a last sliver of one row.
        gs.add(new ConvGeometry(1, 40, 1, 1, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        gs.add(new ConvGeometry(1, 16, 1, 1, 96, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1));
        gs.add(new ConvGeometry(1, 100, 2, 2, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        gs.add(new ConvGeometry(1, 5, 2, 2, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        gs.add(new ConvGeometry(1, 9, 1, 7, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        // Calls of several images on small padded maps (pixel-major slivers, SliverOrder, on AVX2):
        // 2x2 and 3x3 outputs, a stride-2 4x4 output, uneven padding, dilated taps (runs of one tap).
        gs.add(new ConvGeometry(8, 24, 2, 2, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        gs.add(new ConvGeometry(9, 12, 3, 3, 20, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1));
        gs.add(new ConvGeometry(12, 20, 8, 8, 36, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1));
        gs.add(new ConvGeometry(8, 7, 3, 2, 18, 3, 2, 1, 1, 2, 0, 0, 1, 1, 1, 1));
        gs.add(new ConvGeometry(8, 6, 3, 5, 20, 3, 3, 1, 1, 1, 1, 1, 1, 2, 2, 1));
        // One pixel on 7 panels of AVX2's 16 lanes (4 at once, a pair, a single) and a channel tail.
        gs.add(new ConvGeometry(1, 24, 1, 1, 107, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1));
        return gs;
    }

    /** clamp(reference conv, lo, hi) transposed to [n][h][w][c]. */
    static float[] expected(ConvGeometry g, float[] x, float[] w, float[] bias, float lo, float hi) {
        float[] nchw = new float[(int) Conv2dKernels.outputSize(g)];
        ConvReference.forward(g, x, w, bias, nchw);
        int hw = g.outH() * g.outW(), o = g.o();
        float[] nhwc = new float[nchw.length];
        for (int n = 0; n < g.n(); n++)
            for (int oc = 0; oc < o; oc++)
                for (int p = 0; p < hw; p++) {
                    float v = nchw[(n * o + oc) * hw + p];
                    nhwc[(n * hw + p) * o + oc] = v < lo ? lo : (v > hi ? hi : v);
                }
        return nhwc;
    }

    static float[] toNhwc(float[] x, int n, int c, int hw) {
        float[] d = new float[x.length];
        for (int i = 0; i < n; i++) Layouts.toNhwc(x, i, c, hw, d, i * c * hw);
        return d;
    }

    @Test
    void matchesTheReferenceFromEitherLayoutOnOneToThreeThreads() {
        float[][] clamps = {{Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {0f, Float.POSITIVE_INFINITY}, {0f, 0.25f}};
        int cases = 0;
        for (boolean winograd : new boolean[] {true, false}) {
            Conv2dKernels.setWinograd(winograd);
            for (ConvGeometry g : geometries())
                for (int threads = 1; threads <= 3; threads++) {
                    Parallel.setThreads(threads);
                    long seed = 31L * g.hashCode() + threads;
                    Random r = new Random(seed);
                    float[] x = Conv2dKernelsTest.rand(r, Conv2dKernels.inputSize(g));
                    float[] w = Conv2dKernelsTest.rand(r, (long) g.o() * g.patch()), b = Conv2dKernelsTest.rand(r, g.o());
                    float[] xl = toNhwc(x, g.n(), g.c(), g.h() * g.w());
                    float[] clamp = clamps[cases % 3];
                    boolean bias = cases % 2 == 0;
                    float[] want = expected(g, x, w, bias ? b : null, clamp[0], clamp[1]);
                    for (boolean channelsLast : new boolean[] {false, true}) {
                        float[] out = new float[want.length];
                        java.util.Arrays.fill(out, Float.NaN);                     // every element written
                        ChannelsLastForward.forward(g, channelsLast ? xl : x, channelsLast, w, bias ? b : null, clamp[0], clamp[1], out,
                                cases % 4 < 2 ? PreparedConv.forward(g, w) : null);
                        String bad = Conv2dKernelsTest.compare(want, out, g.patch());
                        if (bad != null) fail(g + " threads " + threads + " channelsLast " + channelsLast + " winograd " + winograd
                                + " clamp " + clamp[0] + ".." + clamp[1] + ": " + bad);
                    }
                    cases++;
                }
        }
    }

    @Test
    void anImageGetsTheSameBitsAloneAsInABatch() {
        // A batch of one runs on narrower tiles than a batch of seven (one real pixel row per
        // sliver instead of six): the sums must still be the same, bit for bit.
        for (ConvGeometry g7 : List.of(new ConvGeometry(7, 40, 1, 1, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
                new ConvGeometry(7, 100, 2, 2, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
                new ConvGeometry(7, 16, 1, 1, 96, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1),
                new ConvGeometry(7, 9, 1, 7, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),
                new ConvGeometry(8, 100, 2, 2, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),     // a batch of pixel-major slivers
                new ConvGeometry(8, 20, 8, 8, 36, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),
                new ConvGeometry(7, 24, 1, 1, 107, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1))) {
            Parallel.setThreads(1);
            Random r = new Random(g7.hashCode());
            float[] x = Conv2dKernelsTest.rand(r, Conv2dKernels.inputSize(g7));
            float[] w = Conv2dKernelsTest.rand(r, (long) g7.o() * g7.patch()), b = Conv2dKernelsTest.rand(r, g7.o());
            float[] all = new float[(int) Conv2dKernels.outputSize(g7)];
            ChannelsLastForward.forward(g7, x, false, w, b, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, all, null);
            ConvGeometry g1 = g7.withBatch(1);
            int in = (int) Conv2dKernels.inputSize(g1), out = (int) Conv2dKernels.outputSize(g1);
            for (int k = 0; k < g7.n(); k++) {
                float[] one = new float[out];
                ChannelsLastForward.forward(g1, java.util.Arrays.copyOfRange(x, k * in, (k + 1) * in), false, w, b,
                        Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, one, null);
                assertArrayEquals(java.util.Arrays.copyOfRange(all, k * out, (k + 1) * out), one, g7 + " image " + k);
            }
        }
    }

    @Test
    void channelsLastMaxPoolMatchesThePlanarKernel() {
        Random r = new Random(9);
        int[][] cases = {   // n, c, h, w, k, stride, pad, dilation, ceil
                {2, 64, 16, 16, 3, 2, 1, 1, 0}, {1, 5, 7, 9, 3, 2, 1, 1, 1}, {3, 17, 1, 1, 1, 1, 0, 1, 0},
                {2, 33, 6, 5, 2, 2, 0, 1, 1}, {1, 16, 5, 5, 3, 1, 1, 2, 0}, {2, 3, 4, 4, 4, 4, 2, 1, 0},
                {1, 16, 2, 2, 2, 2, 2, 1, 0}};   // the last: windows of padding only
        for (int[] k : cases)
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                int n = k[0], c = k[1], hw = k[2] * k[3];
                PoolGeometry g = PoolGeometry.of(n * c, k[2], k[3], k[4], k[4], k[5], k[5], k[6], k[6], k[6], k[6], k[7], k[7], k[8] == 1);
                float[] x = Conv2dKernelsTest.rand(r, (long) n * c * hw);
                for (int i = 0; i < x.length; i += 37) x[i] = Float.NaN;      // NaN wins its windows in both
                for (int i = 5; i < x.length; i += 41) x[i + 1 < x.length ? i + 1 : i] = x[i];  // ties
                float[] planar = new float[n * c * g.outPlane()];
                PoolKernels.maxForward(g, x, planar, new int[planar.length]);
                float[] got = new float[planar.length];
                java.util.Arrays.fill(got, -7f);
                PoolKernels.maxForwardChannelsLast(g, n, c, toNhwc(x, n, c, hw), got);
                assertArrayEquals(toNhwc(planar, n, c, g.outPlane()), got, java.util.Arrays.toString(k) + " threads " + threads);
            }
    }

    @Test
    void aChannelsLastTensorTurnsRowMajorOnFirstUse() {
        Random r = new Random(3);
        for (int[] d : new int[][] {{2, 3, 4, 5}, {1, 7, 1, 1}, {3, 1, 6, 2}, {2, 33, 17, 3}}) {
            int n = d[0], c = d[1], hw = d[2] * d[3];
            float[] nchw = Conv2dKernelsTest.rand(r, (long) n * c * hw);
            Tensor t = Tensor.channelsLast(Shape.of(d), toNhwc(nchw, n, c, hw));
            assertArrayEquals(toNhwc(nchw, n, c, hw), t.channelsLastData());
            assertArrayEquals(nchw, t.data());
            if (c == 1 || hw == 1) assertSame(t.data(), t.channelsLastData(), "one pixel or one channel: one array for both forms");
            else assertEquals(null, t.channelsLastData(), "the channels-last form is dropped once row-major data exists");
            assertEquals(nchw[nchw.length - 1], t.get(n - 1, c - 1, d[2] - 1, d[3] - 1));
            float[] same = toNhwc(nchw, n, c, hw);
            Tensor u = Tensor.channelsLast(Shape.of(d), same);
            if (hw == 1 || c == 1) assertSame(same, u.data(), "one pixel or one channel: the same array, not a copy");
            else assertArrayEquals(nchw, u.data());
        }
        assertThrows(IllegalArgumentException.class, () -> Tensor.channelsLast(Shape.of(2, 3), new float[6]));
    }

    @Test
    void rejectsAnInvertedClampAndGroupedConvolutions() {
        ConvGeometry g = new ConvGeometry(1, 2, 3, 3, 2, 1, 1, 1, 1, 0, 0, 1, 1);
        float[] x = new float[18], w = new float[4], out = new float[18];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ChannelsLastForward.forward(g, x, false, w, null, 1f, 0f, out, null));
        assertEquals("clamp needs lo <= hi, got 1.0 > 0.0", e.getMessage());
        ConvGeometry grouped = new ConvGeometry(1, 4, 3, 3, 4, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2);
        assertThrows(IllegalArgumentException.class,
                () -> ChannelsLastForward.forward(grouped, new float[36], false, new float[8], null, 0f, 1f, new float[36], null));
    }
}
