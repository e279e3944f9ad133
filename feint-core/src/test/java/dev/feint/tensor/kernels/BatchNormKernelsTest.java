package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feint.tensor.Parallel;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link BatchNormKernels} against {@link BatchNormReference}, and the same bits on 1, 2 and 3 threads. */
class BatchNormKernelsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() { Parallel.setThreads(savedThreads); }

    /** [n, c, s]: single values, planes shorter than a vector, ragged tails, and planes big enough to split over threads. */
    private static final int[][] SHAPES = {{1, 1, 1}, {2, 3, 1}, {1, 2, 7}, {3, 5, 37}, {4, 3, 16}, {2, 70, 1024}, {5, 1, 33}};

    /** All four kernels' outputs for one shape, concatenated; {@code reference} picks the implementation. */
    private static float[] run(int[] shape, boolean relu, boolean reference, long seed) {
        int n = shape[0], c = shape[1], s = shape[2], len = n * c * s;
        Random r = new Random(seed);
        float[] x = new float[len], go = new float[len], gx = new float[len], scale = new float[c], shift = new float[c];
        float[] k = new float[c], d = new float[c], e = new float[c];
        for (int i = 0; i < len; i++) { x[i] = 3 + 2 * (float) r.nextGaussian(); go[i] = (float) r.nextGaussian(); gx[i] = r.nextFloat(); }
        for (int ch = 0; ch < c; ch++) {
            scale[ch] = (float) r.nextGaussian();
            shift[ch] = (float) r.nextGaussian();
            k[ch] = (float) r.nextGaussian();
            d[ch] = (float) r.nextGaussian();
            e[ch] = (float) r.nextGaussian();
        }
        double[] mean = new double[c], var = new double[c], sg = new double[c], sgd = new double[c];
        float[] y = new float[len], fm = new float[c];
        if (reference) BatchNormReference.statistics(x, n, c, s, mean, var);
        else BatchNormKernels.statistics(x, n, c, s, mean, var);
        for (int ch = 0; ch < c; ch++) fm[ch] = (float) mean[ch];
        if (reference) BatchNormReference.affine(x, n, c, s, scale, shift, relu, y);
        else BatchNormKernels.affine(x, n, c, s, scale, shift, relu, y);
        float[] mask = relu ? y : null;
        if (reference) BatchNormReference.gradientSums(go, mask, x, fm, n, c, s, sg, sgd);
        else BatchNormKernels.gradientSums(go, mask, x, fm, n, c, s, sg, sgd);
        if (reference) BatchNormReference.inputGradient(go, mask, x, fm, k, d, e, n, c, s, gx);
        else BatchNormKernels.inputGradient(go, mask, x, fm, k, d, e, n, c, s, gx);
        float[] all = new float[4 * c + 2 * len];
        for (int ch = 0; ch < c; ch++) {
            all[ch] = (float) mean[ch];
            all[c + ch] = (float) var[ch];
            all[2 * c + ch] = (float) sg[ch];
            all[3 * c + ch] = (float) sgd[ch];
        }
        System.arraycopy(y, 0, all, 4 * c, len);
        System.arraycopy(gx, 0, all, 4 * c + len, len);
        return all;
    }

    @Test
    void matchesTheScalarReference() {
        Parallel.setThreads(2);
        long seed = 1;
        for (int[] shape : SHAPES)
            for (boolean relu : new boolean[] {false, true}) {
                float[] want = run(shape, relu, true, seed), got = run(shape, relu, false, seed);
                double tol = 2e-5 * Math.sqrt(shape[0] * shape[2]);
                for (int i = 0; i < want.length; i++)
                    if (!(Math.abs(want[i] - got[i]) <= tol * (1 + Math.abs(want[i]))))
                        fail("[n, c, s] = " + java.util.Arrays.toString(shape) + " relu " + relu + ": value " + i + " is " + got[i] + ", expected " + want[i]);
                seed++;
            }
    }

    @Test
    void sameBitsOnOneTwoAndThreeThreads() {
        for (int[] shape : SHAPES) {
            Parallel.setThreads(1);
            float[] one = run(shape, true, false, 7);
            for (int t : new int[] {2, 3}) {
                Parallel.setThreads(t);
                assertArrayEquals(one, run(shape, true, false, 7), java.util.Arrays.toString(shape) + " threads=" + t);
            }
        }
    }

    /** The channels-last affine (an inference activation [n][s][c]) gives the NCHW kernel's bits, transposed, on 1 to 3 threads. */
    @Test
    void channelsLastAffineIsTheNchwOneTransposed() {
        for (int[] shape : SHAPES)
            for (boolean relu : new boolean[] {false, true}) {
                int n = shape[0], c = shape[1], s = shape[2], len = n * c * s;
                Random r = new Random(len + c);
                float[] x = new float[len], scale = new float[c], shift = new float[c], y = new float[len], nhwc = new float[len];
                for (int i = 0; i < len; i++) x[i] = (float) r.nextGaussian();
                for (int ch = 0; ch < c; ch++) { scale[ch] = (float) r.nextGaussian(); shift[ch] = (float) r.nextGaussian(); }
                BatchNormKernels.affine(x, n, c, s, scale, shift, relu, y);
                float[] want = new float[len];
                for (int i = 0; i < n; i++) {
                    Layouts.toNhwc(x, i, c, s, nhwc, i * s * c);
                    Layouts.toNhwc(y, i, c, s, want, i * s * c);
                }
                for (int t = 1; t <= 3; t++) {
                    Parallel.setThreads(t);
                    float[] got = new float[len];
                    BatchNormKernels.affineChannelsLast(nhwc, n * s, c, scale, shift, relu, got);
                    assertArrayEquals(want, got, java.util.Arrays.toString(shape) + " relu " + relu + " threads " + t);
                }
            }
    }
}
