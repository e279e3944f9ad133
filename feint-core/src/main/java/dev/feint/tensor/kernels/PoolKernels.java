package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Max and average pooling over [planes, h, w] ({@link PoolGeometry}), planes split over the worker
 * threads. Window taps outside the input are skipped (max) or count as zeros (average with
 * count_include_pad, inside the explicit padding only).
 */
public final class PoolKernels {
    private static final VectorSpecies<Float> MAX_S = FloatVector.SPECIES_PREFERRED;

    private PoolKernels() {}

    /** Planes per chunk: at least 4, and enough window taps to be worth a hand-off (a batch of one is not). */
    private static int grain(PoolGeometry g) {
        return Math.max(4, Parallel.grain((long) g.outPlane() * g.kh() * g.kw()));
    }

    /**
     * Writes the max of each window into out and the flat input index of it into arg (ties: the
     * first tap in row-major order); a window holding no input pixel gives 0 and arg -1.
     *
     * @param g the geometry
     * @param x the input [planes, h, w]
     * @param out the output [planes, outH, outW], overwritten
     * @param arg the flat input index of each window's maximum, written (-1 for a window of padding only)
     */
    public static void maxForward(PoolGeometry g, float[] x, float[] out, int[] arg) {
        int h = g.h(), w = g.w(), oh = g.outH(), ow = g.outW();
        Parallel.forRange(g.planes(), grain(g), (c, from, to) -> {
            for (int p = from; p < to; p++) {
                int in0 = p * h * w, out0 = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    // The window's taps inside the input, found once per row and column: the tap
                    // loops then need no bounds tests (the order of the taps is unchanged).
                    int y0 = i * g.strideH() - g.padTop(), u0 = first(y0, g.dilH()), u1 = end(y0, g.kh(), g.dilH(), h);
                    for (int j = 0; j < ow; j++) {
                        int x0 = j * g.strideW() - g.padLeft(), v0 = first(x0, g.dilW()), v1 = end(x0, g.kw(), g.dilW(), w);
                        float best = 0f;
                        int bi = -1;
                        for (int u = u0; u < u1; u++) {
                            int row = in0 + (y0 + u * g.dilH()) * w + x0;
                            for (int v = v0; v < v1; v++) {
                                int at = row + v * g.dilW();
                                float val = x[at];
                                if (bi < 0 || val > best || Float.isNaN(val) && !Float.isNaN(best)) { best = val; bi = at; }
                            }
                        }
                        out[out0 + i * ow + j] = best;
                        arg[out0 + i * ow + j] = bi;
                    }
                }
            }
        });
    }

    /**
     * As {@link #maxForward} (no arg) for n images of c channels held channels-last, x[n][h][w][c]
     * into out[n][outH][outW][c] (g.planes() is n * c): channel vectors, the same taps in the same
     * order, the same tie and NaN rule.
     *
     * @param g the geometry
     * @param n images
     * @param c channels
     * @param x the input, [n][h][w][c]
     * @param out the output, [n][outH][outW][c], overwritten
     */
    public static void maxForwardChannelsLast(PoolGeometry g, int n, int c, float[] x, float[] out) {
        if ((long) n * c != g.planes()) throw new IllegalArgumentException("images " + n + " x channels " + c + " != planes " + g.planes());
        int h = g.h(), w = g.w(), oh = g.outH(), ow = g.outW(), bound = MAX_S.loopBound(c);
        Parallel.forRange(n * oh, Math.max(1, Parallel.grain((long) ow * c * g.kh() * g.kw())), (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                int img = r / oh, i = r % oh, y0 = i * g.strideH() - g.padTop();
                int u0 = first(y0, g.dilH()), u1 = end(y0, g.kh(), g.dilH(), h);
                for (int j = 0; j < ow; j++) {
                    int x0 = j * g.strideW() - g.padLeft(), v0 = first(x0, g.dilW()), v1 = end(x0, g.kw(), g.dilW(), w);
                    int dst = ((img * oh + i) * ow + j) * c;
                    if (u0 >= u1 || v0 >= v1) {                   // a window of padding only
                        java.util.Arrays.fill(out, dst, dst + c, 0f);
                        continue;
                    }
                    int base = (img * h + y0) * w + x0;
                    for (int ch = 0; ch < bound; ch += MAX_S.length()) {
                        FloatVector best = null;
                        for (int u = u0; u < u1; u++)
                            for (int v = v0; v < v1; v++) {
                                FloatVector val = FloatVector.fromArray(MAX_S, x, (base + u * g.dilH() * w + v * g.dilW()) * c + ch);
                                best = best == null ? val
                                        : best.blend(val, val.compare(VectorOperators.GT, best)
                                                .or(val.test(VectorOperators.IS_NAN).andNot(best.test(VectorOperators.IS_NAN))));
                            }
                        best.intoArray(out, dst + ch);
                    }
                    for (int ch = bound; ch < c; ch++) {
                        float best = 0f;
                        boolean any = false;
                        for (int u = u0; u < u1; u++)
                            for (int v = v0; v < v1; v++) {
                                float val = x[(base + u * g.dilH() * w + v * g.dilW()) * c + ch];
                                if (!any || val > best || Float.isNaN(val) && !Float.isNaN(best)) { best = val; any = true; }
                            }
                        out[dst + ch] = best;
                    }
                }
            }
        });
    }

    /** The first tap u >= 0 with start + u * dil >= 0. */
    private static int first(int start, int dil) {
        return start >= 0 ? 0 : (-start + dil - 1) / dil;
    }

    /** One past the last tap u < k with start + u * dil < size (at most k). */
    private static int end(int start, int k, int dil, int size) {
        if (start >= size) return 0;
        return Math.min(k, (size - 1 - start) / dil + 1);
    }

    /**
     * gradX[arg[i]] += gradOut[i]; windows of one plane never touch another plane.
     *
     * @param g the geometry
     * @param gradOut the gradient of the output
     * @param arg the maxima {@link #maxForward} recorded
     * @param gradX the input gradient, added to
     */
    public static void maxBackward(PoolGeometry g, float[] gradOut, int[] arg, float[] gradX) {
        int planeOut = g.outPlane();
        Parallel.forRange(g.planes(), grain(g), (c, from, to) -> {
            for (int i = from * planeOut; i < to * planeOut; i++) if (arg[i] >= 0) gradX[arg[i]] += gradOut[i];
        });
    }

    /**
     * 1 / the divisor of each output's average: the taps inside the input, or with
     * {@code countIncludePad} those inside the padded input (ONNX's count_include_pad: the
     * overhang of a ceil-mode window past the padding never counts).
     */
    private static float[] inverseCounts(PoolGeometry g, boolean countIncludePad) {
        int oh = g.outH(), ow = g.outW();
        float[] inv = new float[oh * ow];
        for (int i = 0; i < oh; i++) {
            int rows = taps(i * g.strideH() - g.padTop(), g.kh(), g.dilH(), countIncludePad ? -g.padTop() : 0,
                    countIncludePad ? g.h() + g.padBottom() : g.h());
            for (int j = 0; j < ow; j++) {
                int cols = taps(j * g.strideW() - g.padLeft(), g.kw(), g.dilW(), countIncludePad ? -g.padLeft() : 0,
                        countIncludePad ? g.w() + g.padRight() : g.w());
                inv[i * ow + j] = rows * cols == 0 ? 0f : 1f / (rows * cols);
            }
        }
        return inv;
    }

    /** Taps start + u * dil (u < k) inside [lo, hi). */
    private static int taps(int start, int k, int dil, int lo, int hi) {
        int n = 0;
        for (int u = 0; u < k; u++) if (start + u * dil >= lo && start + u * dil < hi) n++;
        return n;
    }

    /**
     * Average over each window (see {@link #inverseCounts} for the divisor).
     *
     * @param g the geometry
     * @param countIncludePad divide by the taps inside the padded input instead of inside the input
     * @param x the input [planes, h, w]
     * @param out the output [planes, outH, outW], overwritten
     */
    public static void avgForward(PoolGeometry g, boolean countIncludePad, float[] x, float[] out) {
        int h = g.h(), w = g.w(), oh = g.outH(), ow = g.outW();
        float[] inv = inverseCounts(g, countIncludePad);
        Parallel.forRange(g.planes(), grain(g), (c, from, to) -> {
            for (int p = from; p < to; p++) {
                int in0 = p * h * w, out0 = p * oh * ow;
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        float s = 0;
                        for (int u = 0; u < g.kh(); u++) {
                            int y = i * g.strideH() - g.padTop() + u * g.dilH();
                            if (y < 0 || y >= h) continue;
                            for (int v = 0; v < g.kw(); v++) {
                                int xx = j * g.strideW() - g.padLeft() + v * g.dilW();
                                if (xx >= 0 && xx < w) s += x[in0 + y * w + xx];
                            }
                        }
                        out[out0 + i * ow + j] = s * inv[i * ow + j];
                    }
            }
        });
    }

    /**
     * gradX += each window's output gradient spread over its taps (the divisor as in {@link #avgForward}).
     *
     * @param g the geometry
     * @param countIncludePad divide by the taps inside the padded input instead of inside the input
     * @param gradOut the gradient of the output
     * @param gradX the input gradient, added to
     */
    public static void avgBackward(PoolGeometry g, boolean countIncludePad, float[] gradOut, float[] gradX) {
        int h = g.h(), w = g.w(), oh = g.outH(), ow = g.outW();
        float[] inv = inverseCounts(g, countIncludePad);
        Parallel.forRange(g.planes(), grain(g), (c, from, to) -> {
            for (int p = from; p < to; p++) {
                int in0 = p * h * w, out0 = p * oh * ow;
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        float gv = gradOut[out0 + i * ow + j] * inv[i * ow + j];
                        for (int u = 0; u < g.kh(); u++) {
                            int y = i * g.strideH() - g.padTop() + u * g.dilH();
                            if (y < 0 || y >= h) continue;
                            for (int v = 0; v < g.kw(); v++) {
                                int xx = j * g.strideW() - g.padLeft() + v * g.dilW();
                                if (xx >= 0 && xx < w) gradX[in0 + y * w + xx] += gv;
                            }
                        }
                    }
            }
        });
    }
}
