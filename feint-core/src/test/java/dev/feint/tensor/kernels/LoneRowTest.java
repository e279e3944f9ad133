package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.feint.tensor.Parallel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link LoneRow}: a batch of one on a 1x1, 2x2 or 1x3 output map, its zero inputs skipped, gets the
 * bits of the same image inside a batch of seven (the six-row panel tiles, every product computed).
 */
class LoneRowTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() { Parallel.setThreads(savedThreads); }

    /** Inputs with about half exact zeros, some of them -0 (a ReLU's output and worse). */
    private static float[] sparse(Random r, long n) {
        float[] x = Conv2dKernelsTest.rand(r, n);
        for (int i = 0; i < x.length; i++) if (r.nextBoolean()) x[i] = r.nextInt(4) == 0 ? -0f : 0f;
        return x;
    }

    @Test
    void aLoneSparseRowGetsTheBitsOfTheSameImageInABatch() {
        int o = LoneRow.GROUP, p = LoneRow.PAIR_GROUP;
        for (ConvGeometry g7 : List.of(
                new ConvGeometry(7, 100, 2, 2, 2 * o, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),    // 3x3 s2 to 1x1, two one-run k blocks
                new ConvGeometry(7, 20, 1, 1, o, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),         // several runs per k block
                new ConvGeometry(7, 24, 2, 2, 3 * o, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1),     // a downsample, three groups
                // 2x2 maps, two pairs of rows, a corner tap read by one pixel only:
                new ConvGeometry(7, 90, 2, 2, 2 * p, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),     // 3x3 s1, one-run k blocks
                new ConvGeometry(7, 40, 2, 2, p, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),         // two runs per k block
                new ConvGeometry(7, 24, 4, 4, 2 * p, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),     // 3x3 s2 from 4x4
                new ConvGeometry(7, 48, 4, 4, 3 * p, 1, 1, 2, 2, 0, 0, 0, 0, 1, 1, 1),     // a downsample
                new ConvGeometry(7, 30, 1, 3, p, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1))) {      // three rows: one paired with itself
            Random r = new Random(g7.hashCode());
            float[] x = sparse(r, Conv2dKernels.inputSize(g7));
            float[] w = Conv2dKernelsTest.rand(r, (long) g7.o() * g7.patch()), b = Conv2dKernelsTest.rand(r, g7.o());
            Parallel.setThreads(1);
            float[] all = new float[(int) Conv2dKernels.outputSize(g7)];
            ChannelsLastForward.forward(g7, x, false, w, b, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, all, null);
            ConvGeometry g1 = g7.withBatch(1);
            ChannelsLastConv.Plan kept = (ChannelsLastConv.Plan) PreparedConv.forward(g1, w).plan;
            assertNotNull(kept.loneRow(), g1 + " takes the lone-row path");
            assertEquals(g1.outH() * g1.outW(), kept.loneRow().rows, g1 + " rows");
            assertNull(new ChannelsLastConv.Plan(g1, w, b, 1).loneRow(), "a plan made for one call keeps the panel tiles");
            int in = (int) Conv2dKernels.inputSize(g1), out = (int) Conv2dKernels.outputSize(g1);
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                PreparedConv prepared = PreparedConv.forward(g1, w);
                for (int k = 0; k < g7.n(); k++) {
                    float[] one = new float[out];
                    ChannelsLastForward.forward(g1, Arrays.copyOfRange(x, k * in, (k + 1) * in), false, w, b,
                            Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, one, k % 2 == 0 ? prepared : null);   // odd k: panel tiles
                    assertArrayEquals(Arrays.copyOfRange(all, k * out, (k + 1) * out), one, g7 + " image " + k + " threads " + threads);
                }
            }
        }
    }

    @Test
    void onlyTheTapsThatCanReadRealInputArePacked() {
        int o = LoneRow.GROUP, p = LoneRow.PAIR_GROUP;
        // {geometry, taps that read real input}: a padded 3x3 on a 1x1 map reads its centre only,
        // a 3x3 s2 from 2x2 its lower-right 2x2, a 3x3 on a 2x2 map (the union of its pixels') all 9.
        for (Object[] c : List.of(
                new Object[] {new ConvGeometry(1, 20, 1, 1, o, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1), 1},
                new Object[] {new ConvGeometry(1, 100, 2, 2, 2 * o, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1), 4},
                new Object[] {new ConvGeometry(1, 40, 2, 2, p, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1), 9})) {
            ConvGeometry g = (ConvGeometry) c[0];
            float[] w = Conv2dKernelsTest.rand(new Random(1), (long) g.o() * g.patch());
            LoneRow lone = ((ChannelsLastConv.Plan) PreparedConv.forward(g, w).plan).loneRow();
            assertNotNull(lone, g + " takes the lone-row path");
            assertEquals((int) c[1] * g.c(), lone.taps, g + " packed taps");
            assertEquals((long) g.o() * lone.taps, lone.packed.length, g + " packed floats");
        }
    }

    @Test
    void aNonFiniteWeightKeepsThePanelTiles() {
        // 0 x inf is NaN, not the zero a skipped product stands for.
        ConvGeometry g = new ConvGeometry(1, 8, 1, 1, LoneRow.GROUP, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
        float[] w = new float[g.o() * g.patch()];
        w[5] = Float.POSITIVE_INFINITY;
        ChannelsLastConv.Plan plan = new ChannelsLastConv.Plan(g, w, null, 1);
        plan.kept = true;
        assertNull(plan.loneRow());
        float[] out = new float[g.o()];
        ChannelsLastForward.forward(g, new float[8], true, w, null, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY, out, null);
        float[] want = new float[g.o()];
        want[0] = Float.NaN;    // output channel 0's weights [0..8) hold the inf at input channel 5
        assertArrayEquals(want, out);
    }
}
