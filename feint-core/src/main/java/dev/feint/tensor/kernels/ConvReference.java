package dev.feint.tensor.kernels;

/**
 * Direct, scalar convolution loops (any groups, strides, dilations and per-side padding): the
 * reference the fast kernels are tested against. Output channel oc of group oc / (o / groups)
 * reads input channels [group * c / groups, (group + 1) * c / groups).
 */
public final class ConvReference {
    private ConvReference() {}

    /** The three passes share one loop nest; this is the work at one (image, out channel, pixel, in channel, tap). */
    @FunctionalInterface
    private interface Tap {
        void at(int outIdx, int xIdx, int wIdx);
    }

    private static void each(ConvGeometry g, Tap tap) {
        int oh = g.outH(), ow = g.outW(), cg = g.cg(), og = g.og();
        for (int n = 0; n < g.n(); n++)
            for (int o = 0; o < g.o(); o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        int outIdx = ((n * g.o() + o) * oh + i) * ow + j;
                        for (int ci = 0; ci < cg; ci++) {
                            int c = o / og * cg + ci;
                            for (int u = 0; u < g.kh(); u++)
                                for (int v = 0; v < g.kw(); v++) {
                                    int y = i * g.strideH() - g.padTop() + u * g.dilH();
                                    int xx = j * g.strideW() - g.padLeft() + v * g.dilW();
                                    if (y < 0 || y >= g.h() || xx < 0 || xx >= g.w()) continue;
                                    tap.at(outIdx, ((n * g.c() + c) * g.h() + y) * g.w() + xx, ((o * cg + ci) * g.kh() + u) * g.kw() + v);
                                }
                        }
                    }
    }

    /**
     * out = conv(x, w) + bias (nullable), summed in double.
     *
     * @param g the geometry
     * @param x the input, NCHW
     * @param w the weights [o, c / groups, kh, kw]
     * @param bias the bias [o], or null
     * @param out the output, NCHW, overwritten
     */
    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] out) {
        double[] s = new double[g.n() * g.o() * g.outH() * g.outW()];
        each(g, (oi, xi, wi) -> s[oi] += (double) x[xi] * w[wi]);
        int ohw = g.outH() * g.outW();
        for (int i = 0; i < s.length; i++) out[i] = (float) (s[i] + (bias == null ? 0 : bias[i / ohw % g.o()]));
    }

    /**
     * gradX += conv-transpose of gradOut with w.
     *
     * @param g the geometry
     * @param gradOut the gradient of the output
     * @param w the weights [o, c / groups, kh, kw]
     * @param gradX the input gradient, added to
     */
    public static void backwardInput(ConvGeometry g, float[] gradOut, float[] w, float[] gradX) {
        each(g, (oi, xi, wi) -> gradX[xi] += gradOut[oi] * w[wi]);
    }

    /**
     * gradW += correlation of x with gradOut; gradBias (nullable) += sum of gradOut.
     *
     * @param g the geometry
     * @param x the input, NCHW
     * @param gradOut the gradient of the output
     * @param gradW the weight gradient, added to
     * @param gradBias the bias gradient [o], added to, or null
     */
    public static void backwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradW, float[] gradBias) {
        each(g, (oi, xi, wi) -> gradW[wi] += gradOut[oi] * x[xi]);
        int ohw = g.outH() * g.outW();
        if (gradBias != null)
            for (int i = 0; i < g.n() * g.o() * ohw; i++) gradBias[i / ohw % g.o()] += gradOut[i];
    }
}
