package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feint.tensor.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link WinogradConv}'s interleaved calls (MR images lane by lane, products on packed slivers)
 * against its image-by-image path, bit for bit, and against the scalar {@link ConvReference};
 * forced on whatever the tile (the build also runs the tests with 6-row tiles).
 */
@ExtendWith(WinogradOn.class)
class WinogradInterleavedTest {
    /** 5x5 and 3x3, channels off the vector length, odd maps, pads 0-3, outputs off the panel width. */
    static List<ConvGeometry> geometries(int n) {
        Random r = new Random(77);
        List<ConvGeometry> gs = new ArrayList<>();
        gs.add(new ConvGeometry(n, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1));       // madry-cnn conv2
        gs.add(new ConvGeometry(n, 64, 14, 14, 32, 5, 5, 1, 1, 2, 2, 1, 1));       // its input gradient
        for (int i = 0; i < 6; i++) {
            int k = i % 2 == 0 ? 5 : 3, pad = r.nextInt(4), h = k + r.nextInt(11), w = k + r.nextInt(11);
            gs.add(new ConvGeometry(n, 16 + r.nextInt(25), h, w, 16 + r.nextInt(55), k, k, 1, 1, pad, r.nextInt(4), 1, 1));
        }
        return gs;
    }

    static float[] random(int size, Random r, double scale) {
        float[] a = new float[size];
        for (int i = 0; i < a.length; i++) a[i] = (float) (r.nextGaussian() * scale);
        return a;
    }

    /** z of each image of x through {@code plan}: calls of {@code per} images (the last one fewer), image j's rows from j * pixels * oPad. */
    static float[] run(WinogradConv plan, float[] x, boolean channelsLast, int n, int per, boolean parallel) {
        int image = plan.pixels() * plan.oPad();
        float[] all = new float[n * image], z = new float[plan.zSize()];
        for (int n0 = 0; n0 < n; n0 += per) {
            int count = Math.min(per, n - n0);
            java.util.Arrays.fill(z, Float.NaN);
            plan.image(x, channelsLast, n0, count, z, parallel);
            System.arraycopy(z, 0, all, n0 * image, count * image);
        }
        return all;
    }

    @Test
    void interleavedCallsGiveTheImageByImageBits() {
        Parallel.setThreads(2);
        long seed = 3;
        for (ConvGeometry g : geometries(7)) {
            Random r = new Random(seed++);
            float[] x = random(g.n() * g.c() * g.h() * g.w(), r, 1), w = random(g.o() * g.patch(), r, 0.1), b = random(g.o(), r, 0.1);
            WinogradConv one = new WinogradConv(g, w, b, false), grouped = new WinogradConv(g, w, b, true);
            int group = grouped.images();
            assertEquals(ChannelsLastConv.MR, group, "images per interleaved call");
            float[] expected = run(one, x, false, g.n(), 1, false);
            // Batch 7: one interleaved call and a last call of 7 - MR images, on the caller and split over the workers.
            assertArrayEquals(expected, run(grouped, x, false, g.n(), group, false), g.toString());
            assertArrayEquals(expected, run(grouped, x, false, g.n(), group, true), g + " parallel");
            // Channels-last input (an imported model's) gives the same bits.
            float[] nhwc = new float[x.length];
            for (int i = 0; i < g.n(); i++) Layouts.toNhwc(x, i, g.c(), g.h() * g.w(), nhwc, i * x.length / g.n());
            assertArrayEquals(expected, run(grouped, nhwc, true, g.n(), group, false), g + " channels-last");
        }
    }

    @Test
    void theForwardOfBatchesOffTheGroupMatchesTheScalarReference() {
        Parallel.setThreads(2);
        long seed = 40;
        for (int n : new int[] {4, 5, 6, 9})
            for (ConvGeometry g : geometries(n).subList(0, 4)) {
                // 5x5 kernels interleave on both tiles (the default; feint.winograd.interleave=false turns it off).
                if (!WinogradConv.interleaves(g) && g.kh() == 5 && !"false".equals(System.getProperty("feint.winograd.interleave")))
                    throw new AssertionError("5x5 not interleaved: " + g);
                Random r = new Random(seed++);
                float[] x = random(g.n() * g.c() * g.h() * g.w(), r, 1), w = random(g.o() * g.patch(), r, Math.sqrt(2.0 / g.patch())), b = random(g.o(), r, 0.1);
                WinogradConv plan = new WinogradConv(g, w, b, true);
                float[] z = run(plan, x, false, n, plan.images(), false);
                float[] ref = new float[n * g.o() * g.outH() * g.outW()];
                ConvReference.forward(g, x, w, b, ref);
                double e = 0, m = 0;
                int pixels = plan.pixels();
                for (int img = 0; img < n; img++)
                    for (int oc = 0; oc < g.o(); oc++)
                        for (int p = 0; p < pixels; p++) {
                            double want = ref[(img * g.o() + oc) * pixels + p];
                            float got = z[(img * pixels + p) * plan.oPad() + oc];
                            e = Math.max(e, Double.isNaN(got) ? Double.POSITIVE_INFINITY : Math.abs(got - want));
                            m = Math.max(m, Math.abs(want));
                        }
                // Winograd's error bound of WinogradConvTest (measured 1e-6 to 4e-6 of the output scale).
                assertTrue(e / m < 2e-5, "error " + e / m + " for " + g);
            }
    }
}
