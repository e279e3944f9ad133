package dev.feint.tensor.kernels;

import java.util.Random;

/** The conv input gradient on the fast kernels against {@link ConvReference}, for the Winograd tests. */
final class InputGradientCheck {
    private InputGradientCheck() {}

    /**
     * Seeded weights (scale 0.05) and output gradient; both sides accumulate into the same non-zero
     * start. Returns the largest absolute difference over the largest reference value.
     */
    static double relativeError(ConvGeometry g) {
        Random r = new Random(4);
        float[] w = new float[g.o() * g.patch()], go = new float[g.n() * g.o() * g.outH() * g.outW()];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian() * 0.05f;
        for (int i = 0; i < go.length; i++) go[i] = (float) r.nextGaussian();
        float[] want = new float[g.n() * g.c() * g.h() * g.w()], got = new float[want.length];
        for (int i = 0; i < want.length; i++) want[i] = got[i] = i % 3;                  // accumulates
        ConvReference.backwardInput(g, go, w, want);
        Conv2dKernels.backwardInput(g, go, w, got);
        double e = 0, m = 0;
        for (int i = 0; i < want.length; i++) {
            e = Math.max(e, Math.abs(want[i] - got[i]));
            m = Math.max(m, Math.abs(want[i]));
        }
        return e / m;
    }
}
