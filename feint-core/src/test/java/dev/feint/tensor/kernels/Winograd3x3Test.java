package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.WinogradConvTest.Problem;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Winograd F(4x4, 3x3): forward and input gradient against the double-precision sum and the
 * direct kernel, on a ResNet's layers and random shapes (odd maps, pads 0-2, channels off the
 * vector length, batch 1 and batches over the images of one call).
 */
@ExtendWith(WinogradOn.class)
class Winograd3x3Test {
    /**
     * Bound on the error relative to the output's largest value. F(4x4, 3x3)'s transforms have
     * entries up to 8 (A) and 5 (B), so a float32 rounding of the transformed tiles and products is
     * amplified 10- to 20-fold over the direct sum's (2e-7 to 6e-7 here); measured 1e-6 to 1.2e-5 on
     * these shapes, the largest at 256 input channels. A wrong transform coefficient or a misplaced
     * tap gives errors of 1e-3 and more.
     */
    static final double BOUND = 3e-5;

    static ConvGeometry conv3(int n, int c, int h, int w, int o, int pad) {
        return new ConvGeometry(n, c, h, w, o, 3, 3, 1, 1, pad, pad, 1, 1);
    }

    /** PreAct-ResNet-18's stride-1 layers (narrowed where the double sum would be slow), then random shapes. */
    static List<ConvGeometry> geometries() {
        List<ConvGeometry> gs = new ArrayList<>(List.of(conv3(1, 64, 32, 32, 64, 1), conv3(2, 128, 16, 16, 96, 1),
                conv3(3, 256, 8, 8, 64, 1), conv3(50, 32, 4, 4, 40, 1), conv3(4, 512, 4, 4, 32, 1)));
        Random r = new Random(33);
        for (int i = 0; i < 12; i++) {
            int pad = r.nextInt(3), h = 3 + r.nextInt(15) - Math.min(pad, 1), w = 3 + r.nextInt(15) - Math.min(pad, 1);
            gs.add(new ConvGeometry(1 + r.nextInt(4), 16 + r.nextInt(41), h, w, 16 + r.nextInt(41), 3, 3, 1, 1,
                    pad, r.nextInt(3), 1, 1));
        }
        return gs;
    }

    @Test
    void appliesToStrideOneThreeByThreeWithEnoughChannels() {
        ConvGeometry g = conv3(1, 64, 32, 32, 64, 1);
        assertTrue(WinogradConv.applies(g));
        assertFalse(WinogradConv.applies(conv3(1, 3, 32, 32, 64, 1)));                                  // the stem
        assertFalse(WinogradConv.applies(new ConvGeometry(1, 64, 32, 32, 128, 3, 3, 2, 2, 1, 1, 1, 1)));  // stride 2
        assertFalse(WinogradConv.applies(new ConvGeometry(1, 64, 32, 32, 64, 3, 3, 1, 1, 2, 2, 2, 2)));   // dilated
        assertFalse(WinogradConv.appliesToWeightGradient(g));
        float[] w = new float[64 * 64 * 9];
        assertInstanceOf(WinogradConv.class, ConvPlan.of(g, w, null));
        WinogradConv.setEnabled(false);
        assertInstanceOf(ChannelsLastConv.Plan.class, ConvPlan.of(g, w, null));
        WinogradConv.setEnabled(true);
        // Maps under 4x4 and batches of fewer than 4 tiles stay on the direct kernel.
        assertFalse(ConvPlan.winograd(conv3(128, 64, 3, 3, 64, 1)));
        assertFalse(ConvPlan.winograd(conv3(3, 64, 4, 4, 64, 1)));
        assertTrue(ConvPlan.winograd(conv3(4, 64, 4, 4, 64, 1)));
        assertTrue(ConvPlan.winograd(conv3(1, 64, 8, 8, 64, 1)));
        // A forward needs 16 tiles (its transformed weights are 4x the direct kernel's); an input gradient 4.
        assertFalse(ConvPlan.winogradForward(conv3(1, 64, 8, 8, 64, 1)));
        assertFalse(ConvPlan.winogradForward(conv3(15, 64, 4, 4, 64, 1)));
        assertTrue(ConvPlan.winogradForward(conv3(16, 64, 4, 4, 64, 1)));
        assertTrue(ConvPlan.winogradForward(conv3(1, 64, 16, 16, 64, 1)));
        assertInstanceOf(ChannelsLastConv.Plan.class, ConvPlan.of(conv3(1, 64, 8, 8, 64, 1), new float[64 * 64 * 9], null));
        assertInstanceOf(WinogradConv.class, Conv2dKernels.inputGradientPlan(conv3(1, 64, 8, 8, 64, 1), new float[64 * 64 * 9]));
    }

    @Test
    void aForwardWithoutPreparedWeightsIsATrainingStepsAndStaysDirect() {
        ConvGeometry g = conv3(2, 32, 8, 8, 32, 1);
        Problem p = Problem.of(g, 8);
        assertInstanceOf(ChannelsLastConv.Plan.class, ConvPlan.unprepared(g, p.w(), null));
        assertInstanceOf(WinogradConv.class, Conv2dKernels.inputGradientPlan(g, p.w()));
        float[] unprepared = new float[g.n() * g.o() * g.outH() * g.outW()], direct = new float[unprepared.length];
        Conv2dKernels.forward(g, p.x(), p.w(), p.bias(), unprepared);
        WinogradConv.setEnabled(false);
        Conv2dKernels.forward(g, p.x(), p.w(), p.bias(), direct);
        assertArrayEquals(direct, unprepared);
    }

    @Test
    void weightsPreparedForABatchServeABatchOnTheOtherEngine() {
        // Prepared at batch 8 (Winograd on a 4x4 map), called at batch 1 (direct) and back: each as prepared for it.
        ConvGeometry big = conv3(8, 32, 4, 4, 24, 1), small = big.withBatch(1);
        Problem p = Problem.of(big, 7);
        PreparedConv forward = PreparedConv.forward(big, p.w()), gradient = PreparedConv.inputGradient(big, p.w());
        for (ConvGeometry g : List.of(small, big, small)) {
            int in = g.n() * g.c() * g.h() * g.w(), out = g.n() * g.o() * g.outH() * g.outW();
            float[] x = java.util.Arrays.copyOf(p.x(), in), want = new float[out], got = new float[out];
            Conv2dKernels.forward(g, x, p.w(), p.bias(), want, PreparedConv.forward(g, p.w()));
            Conv2dKernels.forward(g, x, p.w(), p.bias(), got, forward);
            assertArrayEquals(want, got, "forward " + g);
            float[] go = java.util.Arrays.copyOf(want, out), gxWant = new float[in], gxGot = new float[in];
            Conv2dKernels.backwardInput(g, go, p.w(), gxWant);
            Conv2dKernels.backwardInput(g, go, p.w(), gxGot, gradient);
            assertArrayEquals(gxWant, gxGot, "input gradient " + g);
        }
    }

    @Test
    void forwardIsWithinItsErrorBoundAndTheDirectKernelWithinItsOwn() {
        Parallel.setThreads(2);
        long seed = 100;
        for (ConvGeometry g : geometries()) {
            Problem p = Problem.of(g, seed++);
            double[] exact = p.exact();
            double wino = WinogradConvTest.relativeError(p.forward(), exact);
            WinogradConv.setEnabled(false);
            double direct = WinogradConvTest.relativeError(p.forward(), exact);
            WinogradConv.setEnabled(true);
            assertTrue(wino < BOUND, "Winograd error " + wino + " for " + g);
            assertTrue(direct < 2e-6, "direct error " + direct + " for " + g);
        }
    }

    @Test
    void aWeightMovedByOneTapIsCaught() {
        // The bound is tight enough to see a filter tap in the wrong place.
        ConvGeometry g = conv3(1, 16, 9, 9, 16, 1);
        Problem p = Problem.of(g, 3);
        double[] exact = p.exact();
        float t = p.w()[4];
        p.w()[4] = p.w()[5];
        p.w()[5] = t;
        assertFalse(WinogradConvTest.relativeError(p.forward(), exact) < BOUND);
    }

    @Test
    void anImageGetsTheSameBitsAloneInABatchAndOnAnyThreadCount() {
        // 4x4 maps: one tile per image, 48 images per call; 50 images make a full call and a partial one.
        for (ConvGeometry g : List.of(conv3(50, 24, 4, 4, 40, 1), conv3(5, 20, 9, 7, 24, 1), conv3(2, 64, 32, 32, 32, 1))) {
            Problem p = Problem.of(g, 9);
            Parallel.setThreads(1);
            float[] all = p.forward();
            for (int threads : new int[] {2, 3}) {
                Parallel.setThreads(threads);
                assertArrayEquals(all, p.forward(), g + " threads=" + threads);
            }
            int few = 1;                                                  // the fewest images a Winograd forward takes (16 tiles)
            while (!ConvPlan.winogradForward(g.withBatch(few))) few++;
            int in = g.c() * g.h() * g.w(), out = g.o() * g.outH() * g.outW(), from = g.n() - few;
            float[] x = java.util.Arrays.copyOfRange(p.x(), from * in, g.n() * in), alone = new float[few * out];
            Conv2dKernels.forward(g.withBatch(few), x, p.w(), p.bias(), alone, PreparedConv.forward(g.withBatch(few), p.w()));
            assertArrayEquals(java.util.Arrays.copyOfRange(all, from * out, g.n() * out), alone, g + " last " + few + " images alone");
        }
    }

    @Test
    void channelsLastInferenceMatchesTheNchwForward() {
        ConvGeometry g = conv3(3, 40, 8, 8, 24, 1);
        Problem p = Problem.of(g, 5);
        float[] nchw = p.forward();
        int hw = g.h() * g.w(), ohw = g.outH() * g.outW();
        float[] xl = new float[p.x().length], out = new float[nchw.length];
        for (int n = 0; n < g.n(); n++) Layouts.transpose(p.x(), n * g.c() * hw, g.c(), hw, xl, n * g.c() * hw);
        ChannelsLastForward.forward(g, xl, true, p.w(), p.bias(), 0f, Float.POSITIVE_INFINITY, out, null);
        for (int n = 0; n < g.n(); n++)
            for (int oc = 0; oc < g.o(); oc++)
                for (int q = 0; q < ohw; q++) {
                    float want = Math.max(0f, nchw[(n * g.o() + oc) * ohw + q]);
                    assertTrue(want == out[(n * ohw + q) * g.o() + oc], "n=" + n + " oc=" + oc + " pixel " + q);
                }
    }

    @Test
    void inputGradientRunsOnWinogradAndMatchesTheReference() {
        // The input gradient of a stride-1 3x3 conv is a 3x3 conv (pad 2 - pad) of the output gradient, o and c swapped.
        for (ConvGeometry g : List.of(conv3(2, 64, 16, 16, 48, 1), conv3(3, 24, 7, 9, 40, 0), conv3(60, 32, 4, 4, 16, 1),
                                      new ConvGeometry(1, 20, 11, 10, 36, 3, 3, 1, 1, 2, 1, 0, 1, 1, 1, 1))) {
          for (boolean on : new boolean[] {true, false}) {                                // the direct plan batches small maps too
            WinogradConv.setEnabled(on);
            if (on) assertInstanceOf(WinogradConv.class, Conv2dKernels.inputGradientPlan(g, new float[g.o() * g.patch()]), g.toString());
            double err = InputGradientCheck.relativeError(g);
            assertTrue(err < BOUND, "input gradient error " + err + " for " + g + " winograd=" + on);
          }
        }
    }
}
