package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batch normalisation over [n, c, s] (s values per channel plane), optionally followed by a ReLU,
 * with vector loops over each plane and the channels spread over {@link Parallel} (each channel's
 * sums are its own, in a fixed order: results do not depend on the thread count). Sums run in
 * float vectors within a plane and in double across planes. The normalised input is not stored:
 * the backward pass recomputes x - mean from x. Same contract as {@link BatchNormReference}.
 *
 * <pre>{@code BatchNormKernels.statistics(x, n, c, s, mean, var);      // training: batch statistics
 * BatchNormKernels.affine(x, n, c, s, scale, shift, true, y);          // y = max(0, x * scale + shift)}</pre>
 */
public final class BatchNormKernels {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();

    private BatchNormKernels() {}

    /**
     * The per-channel mean and biased variance of x (two passes: the mean, then squared deviations).
     *
     * @param x the input [n, c, s]
     * @param n images
     * @param c channels
     * @param s values per channel plane (h * w, or 1)
     * @param mean the per-channel means, written
     * @param var the per-channel biased variances, written
     */
    public static void statistics(float[] x, int n, int c, int s, double[] mean, double[] var) {
        check(x, n, c, s);
        double count = (double) n * s;
        channels(n, c, s, (from, to) -> {
            float[] lanes = new float[VL];
            for (int ch = from; ch < to; ch++) {
                double sum = 0;
                for (int i = 0; i < n; i++) sum += sum(x, (i * c + ch) * s, s, lanes);
                double mu = sum / count, sq = 0;
                for (int i = 0; i < n; i++) sq += squaredDeviations(x, (i * c + ch) * s, s, (float) mu, lanes);
                mean[ch] = mu;
                var[ch] = sq / count;
            }
        });
    }

    /**
     * y = x * scale[ch] + shift[ch], clamped at 0 with {@code relu}.
     *
     * @param x the input [n, c, s]
     * @param n images
     * @param c channels
     * @param s values per channel plane (h * w, or 1)
     * @param scale the per-channel factor
     * @param shift the per-channel offset
     * @param relu clamp the result at 0
     * @param y the output [n, c, s], written (may be x)
     */
    public static void affine(float[] x, int n, int c, int s, float[] scale, float[] shift, boolean relu, float[] y) {
        check(x, n, c, s);
        channels(n, c, s, (from, to) -> {
            int bound = S.loopBound(s);
            for (int ch = from; ch < to; ch++) {
                float a = scale[ch], b = shift[ch];
                FloatVector av = FloatVector.broadcast(S, a), bv = FloatVector.broadcast(S, b), zero = FloatVector.zero(S);
                for (int i = 0; i < n; i++) {
                    int o = (i * c + ch) * s, j = 0;
                    for (; j < bound; j += VL) {
                        FloatVector v = FloatVector.fromArray(S, x, o + j).fma(av, bv);
                        (relu ? v.max(zero) : v).intoArray(y, o + j);
                    }
                    for (; j < s; j++) {
                        float v = Math.fma(x[o + j], a, b);
                        y[o + j] = relu ? Math.max(v, 0f) : v;
                    }
                }
            }
        });
    }

    /**
     * As {@link #affine} for channels-last values x[pixel][c] (an inference activation): the same
     * fma and clamp per value, so the same bits in the other layout.
     *
     * @param x the input, {@code pixels} rows of c values
     * @param pixels pixel rows (n * h * w)
     * @param c channels
     * @param scale the per-channel factors
     * @param shift the per-channel shifts
     * @param relu whether to clamp at 0
     * @param y the output, same layout, overwritten
     */
    public static void affineChannelsLast(float[] x, int pixels, int c, float[] scale, float[] shift, boolean relu, float[] y) {
        check(x, pixels, c, 1);
        int bound = S.loopBound(c);
        Parallel.forRange(pixels, Parallel.grain(c), (chunk, from, to) -> {
            FloatVector zero = FloatVector.zero(S);
            for (int p = from; p < to; p++) {
                int o = p * c, ch = 0;
                for (; ch < bound; ch += VL) {
                    FloatVector v = FloatVector.fromArray(S, x, o + ch).fma(FloatVector.fromArray(S, scale, ch), FloatVector.fromArray(S, shift, ch));
                    (relu ? v.max(zero) : v).intoArray(y, o + ch);
                }
                for (; ch < c; ch++) {
                    float v = Math.fma(x[o + ch], scale[ch], shift[ch]);
                    y[o + ch] = relu ? Math.max(v, 0f) : v;
                }
            }
        });
    }

    /**
     * sg[ch] = sum of dz and sgd[ch] = sum of dz * (x - mean[ch]), where dz is the output gradient
     * go, or with {@code y} (the ReLU'd output) go where y > 0.
     *
     * @param go the output gradient
     * @param y the ReLU'd output, or null when there is no ReLU
     * @param x the forward's input [n, c, s]
     * @param mean the per-channel means
     * @param n images
     * @param c channels
     * @param s values per channel plane (h * w, or 1)
     * @param sg the per-channel sums of dz, written
     * @param sgd the per-channel sums of dz * (x - mean), written
     */
    public static void gradientSums(float[] go, float[] y, float[] x, float[] mean, int n, int c, int s, double[] sg, double[] sgd) {
        check(go, n, c, s);
        channels(n, c, s, (from, to) -> {
            int bound = S.loopBound(s);
            float[] lanes = new float[VL];
            FloatVector zero = FloatVector.zero(S);
            for (int ch = from; ch < to; ch++) {
                double a = 0, b = 0;
                FloatVector mu = FloatVector.broadcast(S, mean[ch]);
                for (int i = 0; i < n; i++) {
                    int o = (i * c + ch) * s, j = 0;
                    FloatVector va = FloatVector.zero(S), vb = va;
                    for (; j < bound; j += VL) {
                        FloatVector dz = FloatVector.fromArray(S, go, o + j);
                        if (y != null) dz = zero.blend(dz, FloatVector.fromArray(S, y, o + j).compare(VectorOperators.GT, 0f));
                        va = va.add(dz);
                        vb = dz.fma(FloatVector.fromArray(S, x, o + j).sub(mu), vb);
                    }
                    float pa = inOrder(va, lanes), pb = inOrder(vb, lanes);
                    for (; j < s; j++) {
                        float dz = y == null || y[o + j] > 0f ? go[o + j] : 0f;
                        pa += dz;
                        pb = Math.fma(dz, x[o + j] - mean[ch], pb);
                    }
                    a += pa;
                    b += pb;
                }
                sg[ch] = a;
                sgd[ch] = b;
            }
        });
    }

    /**
     * gx += k[ch] * dz + d[ch] - e[ch] * (x - mean[ch]) (dz as in {@link #gradientSums}): with
     * batch statistics k = gamma * invStd, d = -k * mean(dz), e = k * invStd^2 * mean(dz * (x - mean));
     * with running statistics d = e = 0.
     *
     * @param go the output gradient
     * @param y the ReLU'd output, or null when there is no ReLU
     * @param x the forward's input [n, c, s]
     * @param mean the per-channel means
     * @param k the per-channel factor of dz
     * @param d the per-channel constant term
     * @param e the per-channel factor of (x - mean)
     * @param n images
     * @param c channels
     * @param s values per channel plane (h * w, or 1)
     * @param gx the input gradient, added to
     */
    public static void inputGradient(float[] go, float[] y, float[] x, float[] mean, float[] k, float[] d, float[] e,
                                     int n, int c, int s, float[] gx) {
        check(go, n, c, s);
        channels(n, c, s, (from, to) -> {
            int bound = S.loopBound(s);
            for (int ch = from; ch < to; ch++) {
                float kc = k[ch], dc = d[ch], ec = e[ch], mc = mean[ch];
                FloatVector kv = FloatVector.broadcast(S, kc), dv = FloatVector.broadcast(S, dc), ev = FloatVector.broadcast(S, -ec);
                FloatVector mu = FloatVector.broadcast(S, mc), zero = FloatVector.zero(S);
                for (int i = 0; i < n; i++) {
                    int o = (i * c + ch) * s, j = 0;
                    for (; j < bound; j += VL) {
                        FloatVector dz = FloatVector.fromArray(S, go, o + j);
                        if (y != null) dz = zero.blend(dz, FloatVector.fromArray(S, y, o + j).compare(VectorOperators.GT, 0f));
                        FloatVector t = FloatVector.fromArray(S, x, o + j).sub(mu).fma(ev, dz.fma(kv, dv));
                        t.add(FloatVector.fromArray(S, gx, o + j)).intoArray(gx, o + j);
                    }
                    for (; j < s; j++) {
                        float dz = y == null || y[o + j] > 0f ? go[o + j] : 0f;
                        gx[o + j] += Math.fma(x[o + j] - mc, -ec, Math.fma(dz, kc, dc));
                    }
                }
            }
        });
    }

    /** Sum of x[off, off + len) in vector lanes, the lanes then added in order (reproducible bits). */
    private static float sum(float[] x, int off, int len, float[] lanes) {
        int bound = S.loopBound(len), j = 0;
        FloatVector acc = FloatVector.zero(S);
        for (; j < bound; j += VL) acc = acc.add(FloatVector.fromArray(S, x, off + j));
        float s = inOrder(acc, lanes);
        for (; j < len; j++) s += x[off + j];
        return s;
    }

    private static float squaredDeviations(float[] x, int off, int len, float mu, float[] lanes) {
        int bound = S.loopBound(len), j = 0;
        FloatVector acc = FloatVector.zero(S), m = FloatVector.broadcast(S, mu);
        for (; j < bound; j += VL) {
            FloatVector dv = FloatVector.fromArray(S, x, off + j).sub(m);
            acc = dv.fma(dv, acc);
        }
        float s = inOrder(acc, lanes);
        for (; j < len; j++) {
            float dv = x[off + j] - mu;
            s = Math.fma(dv, dv, s);
        }
        return s;
    }

    /** The lanes of v summed in order (reduceLanes leaves the order unspecified). */
    private static float inOrder(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        float s = 0f;
        for (float f : lanes) s += f;
        return s;
    }

    /** Channel ranges over the threads, each at least {@link Parallel#MIN_SPLIT_WORK} values. */
    private static void channels(int n, int c, int s, Range body) {
        Parallel.forRange(c, Parallel.grain((long) n * s), (chunk, from, to) -> body.run(from, to));
    }

    @FunctionalInterface
    private interface Range {
        void run(int from, int to);
    }

    private static void check(float[] a, int n, int c, int s) {
        if (n < 0 || c < 1 || s < 0 || a.length < (long) n * c * s)
            throw new IllegalArgumentException("batch norm arrays of " + a.length + " floats for [n, c, s] = [" + n + ", " + c + ", " + s + "]");
    }
}
