package dev.feint.tensor.kernels;

/** Direct, scalar convolution loops: the reference the fast kernels are tested against. */
public final class ConvReference {
    private ConvReference() {}

    public static void forward(ConvGeometry g, float[] x, float[] w, float[] bias, float[] out) {
        int oh = g.outH(), ow = g.outW();
        for (int n = 0; n < g.n(); n++)
            for (int o = 0; o < g.o(); o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        double s = bias == null ? 0 : bias[o];
                        for (int c = 0; c < g.c(); c++)
                            for (int u = 0; u < g.kh(); u++)
                                for (int v = 0; v < g.kw(); v++) {
                                    int y = i * g.strideH() - g.padH() + u * g.dilH();
                                    int xx = j * g.strideW() - g.padW() + v * g.dilW();
                                    if (y < 0 || y >= g.h() || xx < 0 || xx >= g.w()) continue;
                                    s += (double) x[((n * g.c() + c) * g.h() + y) * g.w() + xx]
                                            * w[((o * g.c() + c) * g.kh() + u) * g.kw() + v];
                                }
                        out[((n * g.o() + o) * oh + i) * ow + j] = (float) s;
                    }
    }

    /** gradX += conv-transpose of gradOut with w. */
    public static void backwardInput(ConvGeometry g, float[] gradOut, float[] w, float[] gradX) {
        int oh = g.outH(), ow = g.outW();
        for (int n = 0; n < g.n(); n++)
            for (int o = 0; o < g.o(); o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        float go = gradOut[((n * g.o() + o) * oh + i) * ow + j];
                        for (int c = 0; c < g.c(); c++)
                            for (int u = 0; u < g.kh(); u++)
                                for (int v = 0; v < g.kw(); v++) {
                                    int y = i * g.strideH() - g.padH() + u * g.dilH();
                                    int xx = j * g.strideW() - g.padW() + v * g.dilW();
                                    if (y < 0 || y >= g.h() || xx < 0 || xx >= g.w()) continue;
                                    gradX[((n * g.c() + c) * g.h() + y) * g.w() + xx] +=
                                            go * w[((o * g.c() + c) * g.kh() + u) * g.kw() + v];
                                }
                    }
    }

    /** gradW += correlation of x with gradOut; gradBias (nullable) += sum of gradOut. */
    public static void backwardWeight(ConvGeometry g, float[] x, float[] gradOut, float[] gradW, float[] gradBias) {
        int oh = g.outH(), ow = g.outW();
        for (int n = 0; n < g.n(); n++)
            for (int o = 0; o < g.o(); o++)
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        float go = gradOut[((n * g.o() + o) * oh + i) * ow + j];
                        if (gradBias != null) gradBias[o] += go;
                        for (int c = 0; c < g.c(); c++)
                            for (int u = 0; u < g.kh(); u++)
                                for (int v = 0; v < g.kw(); v++) {
                                    int y = i * g.strideH() - g.padH() + u * g.dilH();
                                    int xx = j * g.strideW() - g.padW() + v * g.dilW();
                                    if (y < 0 || y >= g.h() || xx < 0 || xx >= g.w()) continue;
                                    gradW[((o * g.c() + c) * g.kh() + u) * g.kw() + v] +=
                                            go * x[((n * g.c() + c) * g.h() + y) * g.w() + xx];
                                }
                    }
    }
}
