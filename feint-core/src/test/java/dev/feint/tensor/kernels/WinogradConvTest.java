package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feint.tensor.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Winograd F(2x2, 5x5) against the double-precision sum, the direct kernel and itself. */
@ExtendWith(WinogradOn.class)
class WinogradConvTest {
    /** Eligible geometries: odd and even outputs, pads 0-4, channels off the vector length, batch 1-3. */
    static List<ConvGeometry> geometries() {
        Random r = new Random(21);
        List<ConvGeometry> gs = new ArrayList<>();
        gs.add(new ConvGeometry(2, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1));       // madry-cnn conv2
        gs.add(new ConvGeometry(2, 64, 14, 14, 32, 5, 5, 1, 1, 2, 2, 1, 1));       // its input gradient
        for (int i = 0; i < 10; i++) {
            int pad = r.nextInt(5), h = 5 + r.nextInt(13) - Math.min(pad, 1), w = 5 + r.nextInt(13);
            gs.add(new ConvGeometry(1 + r.nextInt(3), 16 + r.nextInt(25), h, w, 16 + r.nextInt(55), 5, 5, 1, 1, pad, r.nextInt(5), 1, 1));
        }
        return gs;
    }

    /** Inputs like a hidden layer's: ReLU'd normals, He-scaled weights, small biases. */
    record Problem(ConvGeometry g, float[] x, float[] w, float[] bias) {
        static Problem of(ConvGeometry g, long seed) {
            Random r = new Random(seed);
            float[] x = new float[g.n() * g.c() * g.h() * g.w()], w = new float[g.o() * g.patch()], b = new float[g.o()];
            for (int i = 0; i < x.length; i++) x[i] = (float) Math.max(0, r.nextGaussian());
            for (int i = 0; i < w.length; i++) w[i] = (float) (r.nextGaussian() * Math.sqrt(2.0 / g.patch()));
            for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
            return new Problem(g, x, w, b);
        }

        float[] forward() {
            float[] out = new float[g.n() * g.o() * g.outH() * g.outW()];
            java.util.Arrays.fill(out, Float.NaN);
            // Prepared, as in an attack's FrozenWeights scope (a 3x3 forward unprepared is a training step's: direct).
            Conv2dKernels.forward(g, x, w, bias, out, PreparedConv.forward(g, w));
            return out;
        }

        /** The same sum in double, as the yardstick for both kernels. */
        double[] exact() {
            int oh = g.outH(), ow = g.outW();
            double[] out = new double[g.n() * g.o() * oh * ow];
            for (int n = 0; n < g.n(); n++)
                for (int oc = 0; oc < g.o(); oc++)
                    for (int y = 0; y < oh; y++)
                        for (int xx = 0; xx < ow; xx++) {
                            double s = bias[oc];
                            for (int ch = 0; ch < g.c(); ch++)
                                for (int ky = 0; ky < g.kh(); ky++)
                                    for (int kx = 0; kx < g.kw(); kx++) {
                                        int iy = y + ky - g.padTop(), ix = xx + kx - g.padLeft();
                                        if (iy < 0 || ix < 0 || iy >= g.h() || ix >= g.w()) continue;
                                        s += (double) x[((n * g.c() + ch) * g.h() + iy) * g.w() + ix] * w[((oc * g.c() + ch) * g.kh() + ky) * g.kw() + kx];
                                    }
                            out[((n * g.o() + oc) * oh + y) * ow + xx] = s;
                        }
            return out;
        }
    }

    /** Largest |got - exact| over the largest |exact|. */
    static double relativeError(float[] got, double[] exact) {
        double e = 0, m = 0;
        for (int i = 0; i < got.length; i++) {
            e = Math.max(e, Math.abs(got[i] - exact[i]));
            if (Double.isNaN(got[i])) e = Double.POSITIVE_INFINITY;
            m = Math.max(m, Math.abs(exact[i]));
        }
        return e / m;
    }

    @Test
    void appliesOnlyToStrideOneFiveByFiveAndThreeByThreeWithEnoughChannels() {
        assertTrue(WinogradConv.applies(new ConvGeometry(1, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1)));
        assertFalse(WinogradConv.applies(new ConvGeometry(1, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1)));   // conv1
        assertFalse(WinogradConv.applies(new ConvGeometry(1, 32, 14, 14, 64, 7, 7, 1, 1, 3, 3, 1, 1)));
        assertFalse(WinogradConv.applies(new ConvGeometry(1, 32, 14, 14, 64, 3, 5, 1, 1, 1, 2, 1, 1)));
        assertFalse(WinogradConv.applies(new ConvGeometry(1, 32, 14, 14, 64, 5, 5, 2, 2, 2, 2, 1, 1)));
        assertFalse(WinogradConv.applies(new ConvGeometry(1, 32, 14, 14, 64, 5, 5, 1, 1, 4, 4, 2, 2)));
        ConvGeometry g = new ConvGeometry(1, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1);
        float[] w = new float[64 * 32 * 25];
        assertInstanceOf(WinogradConv.class, ConvPlan.of(g, w, null));
        WinogradConv.setEnabled(false);
        assertInstanceOf(ChannelsLastConv.Plan.class, ConvPlan.of(g, w, null));
    }

    @Test
    void forwardIsWithinItsErrorBoundAndTheDirectKernelWithinItsOwn() {
        Parallel.setThreads(2);
        long seed = 1;
        for (ConvGeometry g : geometries()) {
            Problem p = Problem.of(g, seed++);
            double[] exact = p.exact();
            double wino = relativeError(p.forward(), exact);
            WinogradConv.setEnabled(false);
            double direct = relativeError(p.forward(), exact);
            WinogradConv.setEnabled(true);
            // Measured: Winograd 1e-6 to 4e-6 of the output scale, direct 1e-7 to 3e-7.
            assertTrue(wino < 2e-5, "Winograd error " + wino + " for " + g);
            assertTrue(direct < 2e-6, "direct error " + direct + " for " + g);
        }
    }

    @Test
    void aWrongTransformIsCaught() {
        // A weight moved by one tap must fail the same bound the kernel passes.
        ConvGeometry g = new ConvGeometry(1, 16, 9, 9, 16, 5, 5, 1, 1, 2, 2, 1, 1);
        Problem p = Problem.of(g, 3);
        double[] exact = p.exact();
        float t = p.w()[7];
        p.w()[7] = p.w()[8];
        p.w()[8] = t;
        assertFalse(relativeError(p.forward(), exact) < 2e-5);
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        // Batch 1 takes the path that splits one image's 36 products over the workers.
        for (ConvGeometry g : List.of(new ConvGeometry(1, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1),
                                      new ConvGeometry(5, 20, 9, 7, 24, 5, 5, 1, 1, 1, 3, 1, 1))) {
            Problem p = Problem.of(g, 9);
            Parallel.setThreads(1);
            float[] one = p.forward();
            for (int threads : new int[] {2, 3}) {
                Parallel.setThreads(threads);
                assertArrayEquals(one, p.forward(), g + " threads=" + threads);
            }
        }
    }

    @Test
    void inputGradientRunsOnWinogradAndMatchesTheReference() {
        // The input gradient of a 5x5 stride-1 conv is a 5x5 conv with o and c swapped.
        ConvGeometry g = new ConvGeometry(2, 24, 11, 10, 40, 5, 5, 1, 1, 2, 1, 1, 1);
        double err = InputGradientCheck.relativeError(g);
        assertTrue(err < 2e-5, "input gradient error " + err);
    }

    @Test
    void weightGradientMatchesTheDoublePrecisionSum() {
        Parallel.setThreads(2);
        long seed = 50;
        for (ConvGeometry g : geometries()) {
            Random r = new Random(seed++);
            Problem p = Problem.of(g, seed);
            float[] go = new float[g.n() * g.o() * g.outH() * g.outW()];
            for (int i = 0; i < go.length; i++) go[i] = (float) r.nextGaussian();
            float[] gw = new float[p.w().length], gb = new float[g.o()];
            for (int i = 0; i < gw.length; i++) gw[i] = 0.5f;                              // accumulates
            Conv2dKernels.backwardWeight(g, p.x(), go, gw, gb);
            double e = 0, m = 0, eb = 0;
            int oh = g.outH(), ow = g.outW();
            for (int oc = 0; oc < g.o(); oc++) {
                double sb = 0;
                for (int n = 0; n < g.n(); n++) for (int q = 0; q < oh * ow; q++) sb += go[(n * g.o() + oc) * oh * ow + q];
                eb = Math.max(eb, Math.abs(gb[oc] - sb));
                for (int ch = 0; ch < g.c(); ch++)
                    for (int ky = 0; ky < 5; ky++)
                        for (int kx = 0; kx < 5; kx++) {
                            double s = 0;
                            for (int n = 0; n < g.n(); n++)
                                for (int y = 0; y < oh; y++)
                                    for (int xx = 0; xx < ow; xx++) {
                                        int iy = y + ky - g.padTop(), ix = xx + kx - g.padLeft();
                                        if (iy < 0 || ix < 0 || iy >= g.h() || ix >= g.w()) continue;
                                        s += (double) p.x()[((n * g.c() + ch) * g.h() + iy) * g.w() + ix] * go[((n * g.o() + oc) * oh + y) * ow + xx];
                                    }
                            e = Math.max(e, Math.abs(gw[((oc * g.c() + ch) * 5 + ky) * 5 + kx] - 0.5 - s));
                            m = Math.max(m, Math.abs(s));
                        }
            }
            assertTrue(e / m < 2e-5, "weight gradient error " + e / m + " for " + g);
            assertTrue(eb < 1e-3, "bias gradient error " + eb + " for " + g);
        }
    }

    @Test
    void weightGradientDoesNotDependOnTheThreadCount() {
        ConvGeometry g = new ConvGeometry(11, 20, 9, 8, 24, 5, 5, 1, 1, 2, 2, 1, 1);
        Problem p = Problem.of(g, 12);
        float[] go = new float[g.n() * g.o() * g.outH() * g.outW()];
        Random r = new Random(13);
        for (int i = 0; i < go.length; i++) go[i] = (float) r.nextGaussian();
        float[] one = null;
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            float[] gw = new float[p.w().length];
            Conv2dKernels.backwardWeight(g, p.x(), go, gw, null);
            if (one == null) one = gw;
            else assertArrayEquals(one, gw, "threads=" + threads);
        }
    }
}
