package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link PoolKernels#maxForward} against a plain scalar reference: values, arg-max, ties and NaN. */
class MaxPoolReferenceTest {
    /** The first maximal tap of each window; a NaN beats any number (the first NaN wins); empty window: 0 at -1. */
    static void reference(PoolGeometry g, float[] x, float[] out, int[] arg) {
        int h = g.h(), w = g.w(), oh = g.outH(), ow = g.outW();
        for (int p = 0; p < g.planes(); p++)
            for (int i = 0; i < oh; i++)
                for (int j = 0; j < ow; j++) {
                    float best = 0f;
                    int bi = -1;
                    for (int u = 0; u < g.kh(); u++)
                        for (int v = 0; v < g.kw(); v++) {
                            int y = i * g.strideH() - g.padTop() + u * g.dilH(), xx = j * g.strideW() - g.padLeft() + v * g.dilW();
                            if (y < 0 || y >= h || xx < 0 || xx >= w) continue;
                            int at = p * h * w + y * w + xx;
                            float val = x[at];
                            if (bi < 0 || (Float.isNaN(val) && !Float.isNaN(best)) || (!Float.isNaN(best) && val > best)) { best = val; bi = at; }
                        }
                    out[p * oh * ow + i * ow + j] = best;
                    arg[p * oh * ow + i * ow + j] = bi;
                }
    }

    @Test
    void matchesTheReferenceWithTiesAndNaNs() {
        Random r = new Random(5);
        for (int t = 0; t < 120; t++) {
            boolean nans = t % 2 == 0;                            // without NaNs too: the no-NaN path
            int k = 1 + r.nextInt(4), s = 1 + r.nextInt(3), pad = r.nextInt(k / 2 + 1), d = 1 + r.nextInt(2);
            int h = d * (k - 1) + 1 + r.nextInt(9), w = d * (k - 1) + 1 + r.nextInt(t % 3 == 0 ? 40 : 11), planes = 1 + r.nextInt(5);
            PoolGeometry g = PoolGeometry.of(planes, h, w, k, k, s, s, pad, pad, pad, pad, d, d, r.nextBoolean());
            float[] x = new float[planes * h * w];
            for (int i = 0; i < x.length; i++) {
                int kind = r.nextInt(10);
                // NaNs, ties, signed zeros (the first of -0 and 0 is the maximum) and -inf.
                x[i] = kind == 0 && nans ? Float.NaN : kind < 3 ? r.nextInt(3) : kind == 3 ? (r.nextBoolean() ? -0f : 0f)
                        : kind == 4 ? Float.NEGATIVE_INFINITY : r.nextFloat() * 4 - 2;
            }
            int outLen = planes * g.outH() * g.outW();
            float[] want = new float[outLen], got = new float[outLen];
            int[] wantArg = new int[outLen], gotArg = new int[outLen];
            reference(g, x, want, wantArg);
            PoolKernels.maxForward(g, x, got, gotArg);
            assertArrayEquals(wantArg, gotArg, "arg-max " + g);
            assertArrayEquals(want, got, "values " + g);
        }
    }

    /**
     * The channels-last backward (the arg-max found again from the output) against the reference's
     * arg-max on the same values: ties, NaNs, signed zeros, -inf, empty windows, channel tails.
     */
    @Test
    void channelsLastBackwardSendsEachGradientToTheReferenceArgMax() {
        Random r = new Random(9);
        for (int t = 0; t < 120; t++) {
            boolean nans = t % 2 == 0;
            int k = 1 + r.nextInt(4), s = 1 + r.nextInt(3), pad = r.nextInt(k / 2 + 1), d = 1 + r.nextInt(2);
            int h = d * (k - 1) + 1 + r.nextInt(7), w = d * (k - 1) + 1 + r.nextInt(7), n = 1 + r.nextInt(2);
            int c = t % 3 == 0 ? 1 + r.nextInt(5) : 16 + r.nextInt(40);     // below a vector, and whole vectors with a tail
            PoolGeometry g = PoolGeometry.of(n * c, h, w, k, k, s, s, pad, pad, pad, pad, d, d, r.nextBoolean());
            float[] x = new float[n * c * h * w];
            for (int i = 0; i < x.length; i++) {
                int kind = r.nextInt(10);
                x[i] = kind == 0 && nans ? Float.NaN : kind < 3 ? r.nextInt(3) : kind == 3 ? (r.nextBoolean() ? -0f : 0f)
                        : kind == 4 ? Float.NEGATIVE_INFINITY : r.nextFloat() * 4 - 2;
            }
            int oh = g.outH(), ow = g.outW(), outLen = n * c * oh * ow;
            float[] out = new float[outLen], go = new float[outLen];
            int[] arg = new int[outLen];
            reference(g, x, out, arg);
            for (int i = 0; i < outLen; i++) go[i] = 1 + r.nextInt(1000);   // exact in float, sums too
            float[] want = new float[x.length];
            PoolKernels.maxBackward(g, go, arg, want);
            float[] xl = nhwc(x, n, c, h * w), outL = new float[outLen], gradL = new float[x.length];
            PoolKernels.maxForwardChannelsLast(g, n, c, xl, outL);
            assertArrayEquals(nhwc(out, n, c, oh * ow), outL, "channels-last forward " + g);
            PoolKernels.maxBackwardChannelsLast(g, n, c, xl, outL, nhwc(go, n, c, oh * ow), gradL);
            assertArrayEquals(nhwc(want, n, c, h * w), gradL, "channels-last backward " + g);
        }
    }

    private static float[] nhwc(float[] x, int n, int c, int hw) {
        float[] d = new float[x.length];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < hw; p++) d[(i * hw + p) * c + ch] = x[(i * c + ch) * hw + p];
        return d;
    }
}
