package dev.feint.tensor.kernels;

import java.util.Arrays;

/**
 * Grouped convolutions (1 < groups) on the one-group kernels: each group's input channels, weights
 * and output channels are contiguous per image, so a group is gathered into arrays of its own, run
 * as a plain convolution ({@link ConvGeometry#group}) on {@link Conv2dKernels}' fast paths, and its
 * result put back. The copies cost one pass over the input and output, small beside the GEMMs
 * they feed. Depthwise convolutions (groups == c) go to {@link DepthwiseConv} instead: one channel
 * per group would leave a GEMM of one row.
 */
final class GroupedConv {
    private GroupedConv() {}

    static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] out) {
        if (DepthwiseConv.applies(g)) {
            DepthwiseConv.forward(g, x, w, bias, out);
            return;
        }
        ConvGeometry s = g.group();
        int n = g.n(), hw = g.h() * g.w(), ohw = g.outH() * g.outW(), cg = s.c(), og = s.o(), wg = og * s.patch();
        float[] out1 = new float[n * og * ohw];
        for (int grp = 0; grp < g.groups(); grp++) {
            float[] b = bias == null ? null : Arrays.copyOfRange(bias, grp * og, grp * og + og);
            Conv2dKernels.forward(s, gather(x, n, g.c(), hw, grp * cg, cg), Arrays.copyOfRange(w, grp * wg, grp * wg + wg), b, out1, null);
            for (int i = 0; i < n; i++) System.arraycopy(out1, i * og * ohw, out, (i * g.o() + grp * og) * ohw, og * ohw);
        }
    }

    /** gradX += conv-transpose of gradOut (n x o x outH x outW) with w. */
    static void backwardInput(ConvGeometry g, float[] gradOut, float[] w, float[] gradX) {
        if (DepthwiseConv.applies(g)) {
            DepthwiseConv.backwardInput(g, gradOut, w, gradX);
            return;
        }
        ConvGeometry s = g.group();
        int n = g.n(), hw = g.h() * g.w(), ohw = g.outH() * g.outW(), cg = s.c(), og = s.o(), wg = og * s.patch();
        float[] gx = new float[n * cg * hw];
        for (int grp = 0; grp < g.groups(); grp++) {
            Arrays.fill(gx, 0f);
            Conv2dKernels.backwardInput(s, gather(gradOut, n, g.o(), ohw, grp * og, og), Arrays.copyOfRange(w, grp * wg, grp * wg + wg), gx);
            for (int i = 0; i < n; i++)
                for (int k = 0, src = i * cg * hw, dst = (i * g.c() + grp * cg) * hw; k < cg * hw; k++) gradX[dst + k] += gx[src + k];
        }
    }

    /** gradW += correlation of x with gradOut; gradBias (nullable) += sum of gradOut. */
    static void backwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradW, float[] gradBias) {
        if (DepthwiseConv.applies(g)) {
            DepthwiseConv.backwardWeight(g, x, gradOut, gradW, gradBias);
            return;
        }
        ConvGeometry s = g.group();
        int n = g.n(), hw = g.h() * g.w(), ohw = g.outH() * g.outW(), cg = s.c(), og = s.o(), wg = og * s.patch();
        for (int grp = 0; grp < g.groups(); grp++) {
            float[] gw = new float[wg], gb = gradBias == null ? null : new float[og];
            Conv2dKernels.backwardWeight(s, gather(x, n, g.c(), hw, grp * cg, cg), gather(gradOut, n, g.o(), ohw, grp * og, og), gw, gb);
            for (int k = 0; k < wg; k++) gradW[grp * wg + k] += gw[k];
            if (gb != null) for (int k = 0; k < og; k++) gradBias[grp * og + k] += gb[k];
        }
    }

    /** Channels [c0, c0 + count) of each of n images of channels x plane floats, as an n x count x plane array. */
    private static float[] gather(float[] src, int n, int channels, int plane, int c0, int count) {
        float[] dst = new float[n * count * plane];
        for (int i = 0; i < n; i++) System.arraycopy(src, (i * channels + c0) * plane, dst, i * count * plane, count * plane);
        return dst;
    }
}
