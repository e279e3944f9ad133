package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feint.tensor.Parallel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DepthwiseInPlace} (channels-last depthwise 3x3 read in place) against the double-precision
 * {@link ConvReference} with a scalar clamp: random maps from 1x1 up (odd sizes, borders only,
 * interiors), strides and dilations 1-2, asymmetric padding 0-2, batch 1-3, one to three threads,
 * and the padded path on the same problems.
 */
class DepthwiseInPlaceTest {
    private static final int VL = FloatVector.SPECIES_PREFERRED.length();
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(savedThreads);
        DepthwiseConv.setInPlace(true);
    }

    static List<ConvGeometry> geometries() {
        List<ConvGeometry> gs = new ArrayList<>();
        Random r = new Random(11);
        for (int i = 0; i < 40; i++) {
            int c = VL * (1 + r.nextInt(4)), h = 1 + r.nextInt(11), w = 1 + r.nextInt(11), s = 1 + r.nextInt(2), d = 1 + r.nextInt(2);
            int pt = r.nextInt(3), pl = r.nextInt(3), pb = r.nextInt(3), pr = r.nextInt(3);
            if (h + pt + pb < 2 * d + 1 || w + pl + pr < 2 * d + 1) continue;
            gs.add(new ConvGeometry(1 + r.nextInt(3), c, h, w, c, 3, 3, s, s, pt, pl, pb, pr, d, d, c));
        }
        gs.add(new ConvGeometry(1, VL, 1, 1, VL, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, VL));            // only the centre tap
        gs.add(new ConvGeometry(2, 6 * VL, 16, 16, 6 * VL, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 6 * VL));   // MobileNet's stride 2
        gs.add(new ConvGeometry(1, 2 * VL, 8, 8, 2 * VL, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2 * VL));      // stride 1, pad 1
        return gs;
    }

    @Test
    void matchesTheReferenceInPlaceAndPadded() {
        float[][] clamps = {{Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY}, {0f, 6f}, {0f, 0.25f}};
        int cases = 0;
        for (ConvGeometry g : geometries()) {
            assertTrue(DepthwiseInPlace.applies(g), g::toString);
            for (int threads = 1; threads <= 3; threads++, cases++) {
                Parallel.setThreads(threads);
                Random r = new Random(31L * g.hashCode() + threads);
                float[] x = Conv2dKernelsTest.rand(r, Conv2dKernels.inputSize(g));
                float[] w = Conv2dKernelsTest.rand(r, (long) g.o() * g.patch()), b = Conv2dKernelsTest.rand(r, g.o());
                float[] xl = ChannelsLastForwardTest.toNhwc(x, g.n(), g.c(), g.h() * g.w());
                float[] clamp = clamps[cases % 3];
                float[] want = ChannelsLastForwardTest.expected(g, x, w, b, clamp[0], clamp[1]);
                for (boolean inPlace : new boolean[] {true, false}) {
                    DepthwiseConv.setInPlace(inPlace);
                    float[] out = new float[want.length];
                    Arrays.fill(out, Float.NaN);                                      // every element written
                    ChannelsLastForward.forward(g, xl, true, w, b, clamp[0], clamp[1], out, cases % 2 == 0 ? PreparedConv.forward(g, w) : null);
                    String bad = Conv2dKernelsTest.compare(want, out, 9);
                    if (bad != null) fail(g + " threads " + threads + " in place " + inPlace + " clamp " + clamp[0] + ".." + clamp[1] + ": " + bad);
                }
            }
        }
    }

    @Test
    void appliesOnlyToThreeByThreeOneOutputPerChannelWholeVectors() {
        assertTrue(!DepthwiseInPlace.applies(new ConvGeometry(1, VL, 4, 4, 2 * VL, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, VL)));   // multiplier 2
        assertTrue(!DepthwiseInPlace.applies(new ConvGeometry(1, VL + 1, 4, 4, VL + 1, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, VL + 1)));
        assertTrue(!DepthwiseInPlace.applies(new ConvGeometry(1, VL, 6, 6, VL, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, VL)));
        assertTrue(!DepthwiseInPlace.applies(new ConvGeometry(1, VL, 6, 6, VL, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1)));       // dense
    }
}
