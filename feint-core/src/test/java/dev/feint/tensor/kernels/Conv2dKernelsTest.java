package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feint.tensor.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Fast convolution kernels against {@link ConvReference}. */
class Conv2dKernelsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() { Parallel.setThreads(savedThreads); }

    /** Every combination of stride 1/2, padding 0/1/2, dilation 1/2, kernel 1/3/5, batch 1/3. */
    static List<ConvGeometry> geometries() {
        Random r = new Random(11);
        List<ConvGeometry> gs = new ArrayList<>();
        for (int stride : new int[] {1, 2})
            for (int pad : new int[] {0, 1, 2})
                for (int dil : new int[] {1, 2})
                    for (int k : new int[] {1, 3, 5})
                        for (int n : new int[] {1, 3}) {
                            int c = 1 + r.nextInt(4), o = 1 + r.nextInt(7);
                            int h = 5 + r.nextInt(9), w = 5 + r.nextInt(23);         // rows wider than a vector too
                            if (h + 2 * pad - dil * (k - 1) - 1 < 0 || w + 2 * pad - dil * (k - 1) - 1 < 0) continue;
                            gs.add(new ConvGeometry(n, c, h, w, o, k, k, stride, stride, pad, pad, dil, dil));
                        }
        // Asymmetric kernel/stride/padding, a single pixel, and a madry-cnn conv2-like layer.
        gs.add(new ConvGeometry(2, 3, 9, 17, 5, 3, 2, 1, 2, 2, 0, 1, 3));
        gs.add(new ConvGeometry(2, 2, 1, 1, 3, 1, 1, 1, 1, 0, 0, 1, 1));
        gs.add(new ConvGeometry(2, 3, 1, 1, 4, 3, 3, 1, 1, 1, 1, 1, 1));
        gs.add(new ConvGeometry(1, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1));
        gs.add(new ConvGeometry(3, 16, 7, 7, 24, 1, 1, 1, 1, 0, 0, 1, 1));
        // Channels-last forward: k blocks of two runs then one (100-float runs), two weight panels
        // with a ragged last one; dilated runs of one channel vector in blocks of 8 and 1.
        gs.add(new ConvGeometry(2, 20, 9, 11, 40, 5, 5, 1, 1, 2, 2, 1, 1));
        gs.add(new ConvGeometry(2, 32, 10, 10, 33, 3, 3, 1, 1, 2, 2, 2, 2));
        // Planes of 256 pixels or more, whose layout copies go in tiles: ragged pixel tiles and
        // channel blocks (306 pixels, 19 and 21 channels), and a 1x1 whose rows are wider than a tile.
        gs.add(new ConvGeometry(2, 19, 17, 18, 21, 3, 3, 1, 1, 1, 1, 1, 1));
        gs.add(new ConvGeometry(1, 17, 20, 40, 18, 1, 1, 1, 1, 0, 0, 1, 1));
        return gs;
    }

    static float[] rand(Random r, long len) {
        float[] x = new float[(int) len];
        for (int i = 0; i < x.length; i++) x[i] = r.nextFloat() * 2 - 1;
        return x;
    }

    /** Null when close within a sqrt(terms)-scaled relative tolerance, else a description. */
    static String compare(float[] want, float[] got, int terms) {
        double tol = 1e-5 * Math.sqrt(Math.max(1, terms));
        if (want.length != got.length) return "length " + got.length + " != " + want.length;
        for (int i = 0; i < want.length; i++)
            if (!(Math.abs(want[i] - got[i]) <= tol * (1 + Math.abs(want[i]))))
                return "element " + i + ": " + got[i] + ", expected " + want[i];
        return null;
    }

    /** All three ops of the fast kernel on one seeded problem, concatenated for easy comparison. */
    record Results(float[] out, float[] gradX, float[] gradW, float[] gradB) {}

    static Results runFast(ConvGeometry g, long seed, boolean withBias) {
        Problem p = new Problem(g, seed);
        float[] out = new float[p.outLen];
        java.util.Arrays.fill(out, Float.NaN);                                   // forward must overwrite
        Conv2dKernels.forward(g, p.x, p.w, withBias ? p.bias : null, out);
        float[] gx = p.gradX0.clone(), gw = p.gradW0.clone(), gb = p.gradB0.clone();
        Conv2dKernels.backwardInput(g, p.gradOut, p.w, gx);
        Conv2dKernels.backwardWeight(g, p.x, p.gradOut, gw, withBias ? gb : null);
        return new Results(out, gx, gw, gb);
    }

    static Results runReference(ConvGeometry g, long seed, boolean withBias) {
        Problem p = new Problem(g, seed);
        float[] out = new float[p.outLen];
        ConvReference.forward(g, p.x, p.w, withBias ? p.bias : null, out);
        float[] gx = p.gradX0.clone(), gw = p.gradW0.clone(), gb = p.gradB0.clone();
        ConvReference.backwardInput(g, p.gradOut, p.w, gx);
        ConvReference.backwardWeight(g, p.x, p.gradOut, gw, withBias ? gb : null);
        return new Results(out, gx, gw, gb);
    }

    /** Seeded inputs; gradient arrays start non-zero so accumulation is checked. */
    static final class Problem {
        final float[] x, w, bias, gradOut, gradX0, gradW0, gradB0;
        final int outLen;

        Problem(ConvGeometry g, long seed) {
            Random r = new Random(seed);
            outLen = g.n() * g.o() * g.outH() * g.outW();
            x = rand(r, (long) g.n() * g.c() * g.h() * g.w());
            w = rand(r, (long) g.o() * g.patch());
            bias = rand(r, g.o());
            gradOut = rand(r, outLen);
            gradX0 = rand(r, x.length);
            gradW0 = rand(r, w.length);
            gradB0 = rand(r, g.o());
        }
    }

    private static void assertClose(ConvGeometry g, long seed, boolean withBias) {
        Results want = runReference(g, seed, withBias), got = runFast(g, seed, withBias);
        int perPixel = g.n() * g.outH() * g.outW();
        String e;
        if ((e = compare(want.out(), got.out(), g.patch())) != null) fail("forward " + g + ": " + e);
        if ((e = compare(want.gradX(), got.gradX(), g.o() * g.kh() * g.kw())) != null) fail("backwardInput " + g + ": " + e);
        if ((e = compare(want.gradW(), got.gradW(), perPixel)) != null) fail("backwardWeight " + g + ": " + e);
        if ((e = compare(want.gradB(), got.gradB(), perPixel)) != null) fail("backwardBias " + g + ": " + e);
    }

    @Test
    void matchesReferenceOnManyGeometries() {
        Parallel.setThreads(2);
        long seed = 100;
        for (ConvGeometry g : geometries()) assertClose(g, seed++, (seed & 1) == 0);
    }

    @Test
    void singleThreadMatchesReference() {
        Parallel.setThreads(1);
        assertClose(new ConvGeometry(3, 5, 11, 13, 7, 3, 3, 2, 1, 1, 2, 1, 2), 7, true);
        assertClose(new ConvGeometry(1, 4, 9, 9, 6, 1, 1, 1, 1, 0, 0, 1, 1), 8, false);
    }

    @Test
    void resultsAreIdenticalForOneTwoAndThreeThreads() {
        ConvGeometry[] gs = {new ConvGeometry(3, 8, 14, 14, 16, 5, 5, 1, 1, 2, 2, 1, 1),
                             new ConvGeometry(1, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1),
                             new ConvGeometry(9, 6, 12, 12, 10, 3, 3, 2, 2, 1, 1, 1, 1),
                             new ConvGeometry(5, 24, 8, 8, 32, 1, 1, 1, 1, 0, 0, 1, 1)};
        assertThreadCountIndependent(gs);
    }

    /** The fast kernels give the same bits on 1, 2 and 3 threads for each geometry. */
    static void assertThreadCountIndependent(ConvGeometry... gs) {
        for (ConvGeometry g : gs) {
            Parallel.setThreads(1);
            Results one = runFast(g, 5, true);
            for (int t : new int[] {2, 3}) {
                Parallel.setThreads(t);
                Results many = runFast(g, 5, true);
                assertArrayEquals(one.out(), many.out(), "forward " + g + " threads=" + t);
                assertArrayEquals(one.gradX(), many.gradX(), "backwardInput " + g + " threads=" + t);
                assertArrayEquals(one.gradW(), many.gradW(), "backwardWeight " + g + " threads=" + t);
                assertArrayEquals(one.gradB(), many.gradB(), "backwardBias " + g + " threads=" + t);
            }
        }
    }

    /**
     * Small outputs (a ResNet's 2x2 and 1x1 late layers on 32x32 input, MobileNet's 1x1 convs
     * there) run several images per kernel call: batches that fill a call exactly, leave a partial
     * last call, or have fewer images than one call; with and without a plan prepared once for
     * another batch size.
     */
    @Test
    void smallOutputsBatchedPerCallMatchReference() {
        ConvGeometry[] gs = {new ConvGeometry(50, 24, 2, 2, 40, 3, 3, 1, 1, 1, 1, 1, 1),   // 4 pixels: 12 images a call
                             new ConvGeometry(7, 33, 1, 1, 40, 3, 3, 1, 1, 1, 1, 1, 1),    // 1 pixel, centre tap only
                             new ConvGeometry(61, 16, 4, 4, 20, 3, 3, 2, 2, 1, 1, 1, 1),   // stride 2 to 2x2
                             new ConvGeometry(5, 40, 4, 4, 24, 1, 1, 1, 1, 0, 0, 1, 1),    // pointwise, 16 pixels
                             new ConvGeometry(100, 8, 1, 1, 12, 1, 1, 1, 1, 0, 0, 1, 1)};  // 1x1 over 100 images
        Parallel.setThreads(2);
        long seed = 300;
        for (ConvGeometry g : gs) {
            assertClose(g, seed++, true);
            Problem p = new Problem(g, seed);
            float[] want = new float[p.outLen], got = new float[p.outLen];
            ConvReference.forward(g, p.x, p.w, p.bias, want);
            for (int prepN : new int[] {1, 64}) {
                java.util.Arrays.fill(got, Float.NaN);
                Conv2dKernels.forward(g, p.x, p.w, p.bias, got, PreparedConv.forward(g.withBatch(prepN), p.w));
                String e = compare(want, got, g.patch());
                if (e != null) fail("forward prepared for batch " + prepN + " " + g + ": " + e);
            }
        }
        assertThreadCountIndependent(gs);
    }

    @Test
    void comparisonCatchesAWrongKernel() {
        // A forward with one weight tap moved (a typical padding/offset bug) must be rejected.
        ConvGeometry g = new ConvGeometry(1, 2, 6, 6, 3, 3, 3, 1, 1, 1, 1, 1, 1);
        Problem p = new Problem(g, 3);
        float[] want = new float[p.outLen], got = new float[p.outLen];
        ConvReference.forward(g, p.x, p.w, null, want);
        Conv2dKernels.forward(g, p.x, p.w, null, got);
        assertNull(compare(want, got, g.patch()));
        float[] shifted = p.w.clone();
        float t = shifted[4]; shifted[4] = shifted[5]; shifted[5] = t;
        Conv2dKernels.forward(g, p.x, shifted, null, got);
        assertNotNull(compare(want, got, g.patch()));
    }
}
