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
        int h = g.h(), w = g.w(), oh = g.outH(), ow = g.outW(), sw = g.strideW(), dilH = g.dilH(), dilW = g.dilW(), kw = g.kw();
        // The taps inside the input, found once per output row and column (divisions, once per call):
        // the tap loops need no bounds tests (the order of the taps is unchanged). Columns [jLo, jHi)
        // have all kw taps inside.
        int[] rows = new int[3 * oh], cols = new int[3 * ow];
        for (int i = 0; i < oh; i++) {
            int y0 = i * g.strideH() - g.padTop();
            rows[3 * i] = y0; rows[3 * i + 1] = first(y0, dilH); rows[3 * i + 2] = end(y0, g.kh(), dilH, h);
        }
        int jLo = -1, jHi = -1;
        for (int j = 0; j < ow; j++) {
            int x0 = j * sw - g.padLeft(), v0 = first(x0, dilW), v1 = end(x0, kw, dilW, w);
            cols[3 * j] = x0; cols[3 * j + 1] = v0; cols[3 * j + 2] = v1;
            if (v0 == 0 && v1 == kw) {                            // contiguous: x0 grows with j
                if (jLo < 0) jLo = j;
                jHi = j + 1;
            }
        }
        if (jLo < 0) jLo = jHi = 0;
        int lo = jLo, hi = jHi;
        Parallel.forRange(g.planes(), grain(g), (c, from, to) -> {
            float[] best = new float[ow];
            int[] bi = new int[ow];
            for (int p = from; p < to; p++) {
                int in0 = p * h * w, out0 = p * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int y0 = rows[3 * i], u0 = rows[3 * i + 1], u1 = rows[3 * i + 2], o = out0 + i * ow;
                    for (int j = 0; j < ow; j++)
                        if (j < lo || j >= hi || u0 >= u1) window(x, in0 + y0 * w + cols[3 * j], u0, u1, cols[3 * j + 1], cols[3 * j + 2], dilH * w, dilW, out, arg, o + j);
                    if (u0 >= u1 || lo >= hi) continue;
                    // Interior columns tap by tap, the columns inner: their running maxima are
                    // independent, so the compare-and-select chains overlap (one window's taps form
                    // one chain); selects as in window(), a NaN sends the row to the full rule.
                    boolean nan = false;
                    for (int u = u0; u < u1; u++)
                        for (int v = 0; v < kw; v++) {
                            int off = in0 + (y0 + u * dilH) * w + v * dilW - g.padLeft();
                            boolean firstTap = u == u0 && v == 0;
                            for (int j = lo; j < hi; j++) {
                                int at = off + j * sw;
                                float val = x[at];
                                float b = firstTap ? val : best[j];
                                bi[j] = firstTap || val > b ? at : bi[j];
                                best[j] = Math.max(b, val);
                                nan |= val != val;
                            }
                        }
                    if (nan)
                        for (int j = lo; j < hi; j++) window(x, in0 + y0 * w + cols[3 * j], u0, u1, 0, kw, dilH * w, dilW, out, arg, o + j);
                    else
                        // The value at the arg-max, not the running max: Math.max(-0f, 0f) is 0f where the first maximum is -0f.
                        for (int j = lo; j < hi; j++) {
                            out[o + j] = x[bi[j]];
                            arg[o + j] = bi[j];
                        }
                }
            }
        });
    }

    /**
     * out[at] and arg[at] for one window whose taps inside the input are rows [u0, u1) and columns
     * [v0, v1) from x[start] (row steps of rowStep, column steps of colStep): the first maximum, a
     * NaN beating any number; 0 at -1 for a window of padding only.
     */
    private static void window(float[] x, int start, int u0, int u1, int v0, int v1, int rowStep, int colStep, float[] out, int[] arg, int at) {
        // The arg-max by an integer select and the running max by Math.max: no branch on the
        // comparisons (coin flips on ReLU'd input; a float select is a branch on x86). A NaN, rare,
        // sends the window to the full rule.
        float best = Float.NEGATIVE_INFINITY;
        int bi = -1;
        boolean nan = false;
        for (int u = u0; u < u1; u++)
            for (int v = v0, i = start + u * rowStep + v0 * colStep; v < v1; v++, i += colStep) {
                float val = x[i];
                bi = bi < 0 || val > best ? i : bi;
                best = Math.max(best, val);
                nan |= val != val;
            }
        best = bi < 0 ? 0f : x[bi];                               // the first maximum's own value: Math.max(-0f, 0f) is 0f
        if (nan) {
            bi = -1;
            for (int u = u0; u < u1; u++)
                for (int v = v0, i = start + u * rowStep + v0 * colStep; v < v1; v++, i += colStep) {
                    float val = x[i];
                    if (bi < 0 || val > best || Float.isNaN(val) && !Float.isNaN(best)) { best = val; bi = i; }
                }
        }
        out[at] = best;
        arg[at] = bi;
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
                    // The first tap starts the max (a null start made C2 box the vectors: 8x slower).
                    int start = (base + u0 * g.dilH() * w + v0 * g.dilW()) * c;
                    for (int ch = 0; ch < bound; ch += MAX_S.length()) {
                        FloatVector best = FloatVector.fromArray(MAX_S, x, start + ch);
                        for (int u = u0; u < u1; u++)
                            for (int v = u == u0 ? v0 + 1 : v0; v < v1; v++) {
                                FloatVector val = FloatVector.fromArray(MAX_S, x, (base + u * g.dilH() * w + v * g.dilW()) * c + ch);
                                // A NaN wins (a later NaN replaces an earlier one: the same value).
                                best = best.blend(val, val.compare(VectorOperators.GT, best).or(val.test(VectorOperators.IS_NAN)));
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
