package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feint.tensor.Parallel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Grouped and depthwise convolutions, asymmetric padding and non-square strides on the fast
 * kernels against {@link ConvReference} (itself checked against PyTorch-style index arithmetic by
 * {@link #referenceIsTheSumOfItsGroups}).
 */
class GroupedConvTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
        Conv2dKernels.setDepthwiseKernel(true);
    }

    private static void assertClose(ConvGeometry g, long seed, boolean withBias) {
        Conv2dKernelsTest.Results want = Conv2dKernelsTest.runReference(g, seed, withBias), got = Conv2dKernelsTest.runFast(g, seed, withBias);
        int perPixel = g.n() * g.outH() * g.outW();
        String e;
        if ((e = Conv2dKernelsTest.compare(want.out(), got.out(), g.patch())) != null) fail("forward " + g + ": " + e);
        if ((e = Conv2dKernelsTest.compare(want.gradX(), got.gradX(), g.o() * g.kh() * g.kw())) != null) fail("backwardInput " + g + ": " + e);
        if ((e = Conv2dKernelsTest.compare(want.gradW(), got.gradW(), perPixel)) != null) fail("backwardWeight " + g + ": " + e);
        if ((e = Conv2dKernelsTest.compare(want.gradB(), got.gradB(), perPixel)) != null) fail("backwardBias " + g + ": " + e);
    }

    /** Random geometries: groups 1, 2 or c (multiplier 1-3), strides, dilations and four independent pads. */
    static List<ConvGeometry> randomGeometries(long seed, int count) {
        Random r = new Random(seed);
        List<ConvGeometry> gs = new ArrayList<>();
        while (gs.size() < count) {
            int kind = r.nextInt(3), cg = 1 + r.nextInt(3), groups = kind == 0 ? 1 : kind == 1 ? 2 : 1 + r.nextInt(20);
            int c = kind == 2 ? groups : cg * groups, o = kind == 2 ? groups * (1 + r.nextInt(3)) : groups * (1 + r.nextInt(4));
            int kh = 1 + r.nextInt(4), kw = 1 + r.nextInt(4), h = 1 + r.nextInt(12), w = 1 + r.nextInt(19);
            int dh = 1 + r.nextInt(2), dw = 1 + r.nextInt(2);
            int pt = r.nextInt(3), pl = r.nextInt(3), pb = r.nextInt(3), pr = r.nextInt(3);
            if (h + pt + pb < dh * (kh - 1) + 1 || w + pl + pr < dw * (kw - 1) + 1) continue;
            gs.add(new ConvGeometry(1 + r.nextInt(3), c, h, w, o, kh, kw, 1 + r.nextInt(2), 1 + r.nextInt(2), pt, pl, pb, pr, dh, dw, groups));
        }
        return gs;
    }

    @Test
    void randomGeometriesMatchTheReference() {
        Parallel.setThreads(2);
        long seed = 1;
        for (ConvGeometry g : randomGeometries(42, 120)) assertClose(g, seed++, (seed & 1) == 0);
    }

    @Test
    void namedCasesMatchTheReference() {
        Parallel.setThreads(2);
        ConvGeometry[] gs = {
            // MobileNet-V2-like depthwise 3x3, pads 1, strides 1 and 2 (more channels than a vector, ragged).
            new ConvGeometry(2, 40, 8, 8, 40, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 40),
            new ConvGeometry(3, 19, 9, 7, 19, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 19),
            new ConvGeometry(1, 24, 2, 2, 24, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 24),
            // Depthwise multiplier 2 and 3; non-square strides (1, 2) and (2, 1); dilation 2; 5x5.
            new ConvGeometry(2, 6, 7, 9, 12, 3, 3, 1, 2, 1, 1, 1, 1, 1, 1, 6),
            new ConvGeometry(2, 5, 9, 7, 15, 3, 3, 2, 1, 0, 1, 2, 0, 2, 2, 5),
            new ConvGeometry(1, 16, 10, 10, 16, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 16),
            // Groups 2 and 4 on the GEMM / channels-last paths (16+ channels per group: the transposed-conv input gradient).
            new ConvGeometry(2, 32, 9, 9, 48, 3, 3, 1, 1, 1, 0, 2, 1, 1, 1, 2),
            new ConvGeometry(2, 8, 6, 11, 12, 3, 2, 2, 1, 0, 1, 1, 0, 1, 2, 4),
            // One group with asymmetric pads: the channels-last forward, its transposed-conv input gradient, Winograd.
            new ConvGeometry(2, 16, 7, 8, 20, 3, 3, 1, 1, 0, 2, 2, 1, 1, 1, 1),
            new ConvGeometry(2, 16, 9, 9, 16, 5, 5, 1, 1, 1, 2, 3, 0, 1, 1, 1),
            new ConvGeometry(2, 3, 8, 8, 4, 2, 2, 2, 2, 0, 0, 1, 1, 1, 1, 1),
            // Size 1 everywhere, grouped and depthwise.
            new ConvGeometry(1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1),
            new ConvGeometry(1, 2, 1, 1, 2, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 2),
            new ConvGeometry(1, 2, 1, 1, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 2),
        };
        long seed = 500;
        for (ConvGeometry g : gs) assertClose(g, seed++, (seed & 1) == 0);
    }

    @Test
    void depthwiseResultsDoNotDependOnTheThreadCount() {
        ConvGeometry[] gs = {new ConvGeometry(1, 96, 8, 8, 96, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 96),
                             new ConvGeometry(11, 24, 6, 6, 48, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 24),
                             new ConvGeometry(3, 8, 7, 7, 16, 3, 3, 1, 1, 1, 0, 1, 2, 1, 1, 4)};
        Conv2dKernelsTest.assertThreadCountIndependent(gs);
    }

    /** The depthwise kernel and the per-group im2col/GEMM path it replaces give the same values. */
    @Test
    void depthwiseKernelAgreesWithThePerGroupGemmPath() {
        Parallel.setThreads(2);
        ConvGeometry[] gs = {new ConvGeometry(3, 32, 6, 6, 32, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 32),
                             new ConvGeometry(2, 20, 7, 5, 40, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 20),
                             new ConvGeometry(2, 9, 6, 8, 9, 5, 3, 1, 2, 2, 1, 2, 1, 1, 2, 9)};
        for (ConvGeometry g : gs) {
            Conv2dKernels.setDepthwiseKernel(false);
            Conv2dKernelsTest.Results gemm = Conv2dKernelsTest.runFast(g, 3, true);
            Conv2dKernels.setDepthwiseKernel(true);
            Conv2dKernelsTest.Results dw = Conv2dKernelsTest.runFast(g, 3, true);
            String e;
            if ((e = Conv2dKernelsTest.compare(gemm.out(), dw.out(), g.patch())) != null) fail("forward " + g + ": " + e);
            if ((e = Conv2dKernelsTest.compare(gemm.gradX(), dw.gradX(), g.o() * 9)) != null) fail("backwardInput " + g + ": " + e);
            if ((e = Conv2dKernelsTest.compare(gemm.gradW(), dw.gradW(), g.n() * 64)) != null) fail("backwardWeight " + g + ": " + e);
        }
    }

    /** The grouped reference equals the one-group reference run on each group's slices. */
    @Test
    void referenceIsTheSumOfItsGroups() {
        ConvGeometry g = new ConvGeometry(2, 6, 5, 6, 9, 3, 2, 1, 2, 1, 0, 0, 1, 1, 1, 3), s = g.group();
        Conv2dKernelsTest.Problem p = new Conv2dKernelsTest.Problem(g, 9);
        float[] out = new float[p.outLen];
        ConvReference.forward(g, p.x, p.w, p.bias, out);
        int hw = g.h() * g.w(), ohw = g.outH() * g.outW();
        for (int grp = 0; grp < 3; grp++) {
            float[] xs = new float[s.n() * s.c() * hw], ws = java.util.Arrays.copyOfRange(p.w, grp * 3 * s.patch(), (grp + 1) * 3 * s.patch());
            for (int n = 0; n < 2; n++) System.arraycopy(p.x, (n * 6 + grp * 2) * hw, xs, n * 2 * hw, 2 * hw);
            float[] os = new float[2 * 3 * ohw];
            ConvReference.forward(s, xs, ws, java.util.Arrays.copyOfRange(p.bias, grp * 3, grp * 3 + 3), os);
            for (int n = 0; n < 2; n++)
                for (int k = 0; k < 3 * ohw; k++) assertEquals(os[n * 3 * ohw + k], out[(n * 9 + grp * 3) * ohw + k], 0f);
        }
    }

    @Test
    void badGroupsAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConvGeometry(1, 6, 4, 4, 9, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 4));
        assertTrue(e.getMessage().contains("groups 4"), e.getMessage());
    }
}
