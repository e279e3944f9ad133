package dev.feint.autograd;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/** Sum, mean and max over all elements or one axis; argmax. Axis reductions view the tensor as [outer, axis, inner]. */
public final class Reductions {
    private Reductions() {}

    /**
     * The sum of all elements.
     *
     * @param a the input
     * @return a scalar, recorded for backprop
     */
    public static Tensor sumAll(Tensor a) {
        float[] x = a.data();
        double s = 0;
        for (float v : x) s += v;
        return Grad.record(Tensor.scalar((float) s), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int i = 0; i < ga.length; i++) ga[i] += g[0];
            }
        }, a);
    }

    /**
     * The mean of all elements.
     *
     * @param a the input
     * @return a scalar, recorded for backprop
     */
    public static Tensor meanAll(Tensor a) {
        return Elementwise.scale(sumAll(a), 1f / Math.max(1, a.size()));
    }

    private static Shape reducedShape(Shape s, int axis, boolean keepDim) {
        int[] d = s.dims();
        if (keepDim) {
            d[axis] = 1;
            return Shape.of(d);
        }
        int[] r = new int[d.length - 1];
        for (int i = 0, j = 0; i < d.length; i++) if (i != axis) r[j++] = d[i];
        return Shape.of(r);
    }

    /**
     * The sum over one axis.
     *
     * @param a the input
     * @param axis the axis reduced (negative counts from the end)
     * @param keepDim keep the axis with size 1 instead of dropping it
     * @return the sums, recorded for backprop
     */
    public static Tensor sum(Tensor a, int axis, boolean keepDim) {
        Shape s = a.shape();
        int ax = s.normAxis(axis);
        int outer = s.sizeBetween(0, ax), len = s.dim(ax), inner = s.sizeBetween(ax + 1, s.rank());
        float[] x = a.data(), o = new float[outer * inner];
        for (int p = 0; p < outer; p++)
            for (int k = 0; k < len; k++) {
                int src = (p * len + k) * inner, dst = p * inner;
                for (int q = 0; q < inner; q++) o[dst + q] += x[src + q];
            }
        return Grad.record(new Tensor(reducedShape(s, ax, keepDim), o), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int p = 0; p < outer; p++)
                    for (int k = 0; k < len; k++) {
                        int dst = (p * len + k) * inner, src = p * inner;
                        for (int q = 0; q < inner; q++) ga[dst + q] += g[src + q];
                    }
            }
        }, a);
    }

    /**
     * The mean over one axis.
     *
     * @param a the input
     * @param axis the axis reduced (negative counts from the end)
     * @param keepDim keep the axis with size 1 instead of dropping it
     * @return the means, recorded for backprop
     */
    public static Tensor mean(Tensor a, int axis, boolean keepDim) {
        int len = a.shape().dim(a.shape().normAxis(axis));
        return Elementwise.scale(sum(a, axis, keepDim), 1f / Math.max(1, len));
    }

    /**
     * Max over an axis; the gradient goes to the first maximal element.
     *
     * @param a the input
     * @param axis the axis reduced (negative counts from the end)
     * @param keepDim keep the axis with size 1 instead of dropping it
     * @return the maxima, recorded for backprop
     */
    public static Tensor max(Tensor a, int axis, boolean keepDim) {
        Shape s = a.shape();
        int ax = s.normAxis(axis);
        int outer = s.sizeBetween(0, ax), len = s.dim(ax), inner = s.sizeBetween(ax + 1, s.rank());
        if (len == 0) throw new IllegalArgumentException("max over an empty axis of " + s);
        float[] x = a.data(), o = new float[outer * inner];
        int[] arg = new int[outer * inner];
        for (int p = 0; p < outer; p++)
            for (int q = 0; q < inner; q++) {
                int base = p * len * inner + q;
                float best = x[base];
                int bi = 0;
                for (int k = 1; k < len; k++) {
                    float v = x[base + k * inner];
                    if (v > best || (Float.isNaN(v) && !Float.isNaN(best))) { best = v; bi = k; }
                }
                o[p * inner + q] = best;
                arg[p * inner + q] = base + bi * inner;
            }
        return Grad.record(new Tensor(reducedShape(s, ax, keepDim), o), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int i = 0; i < g.length; i++) ga[arg[i]] += g[i];
            }
        }, a);
    }

    /**
     * Index of the first maximum along the last axis, for each row of a [rows, n] view.
     *
     * @param a the input, viewed as [rows, n]
     * @return the index of each row's maximum
     */
    public static int[] argmaxLast(Tensor a) {
        int n = a.shape().dim(-1);
        int rows = a.size() / Math.max(1, n);
        float[] x = a.data();
        int[] r = new int[rows];
        for (int i = 0; i < rows; i++) {
            int best = 0;
            for (int j = 1; j < n; j++) if (x[i * n + j] > x[i * n + best]) best = j;
            r[i] = best;
        }
        return r;
    }

    /**
     * Argmax along any axis, as a float tensor of indices (no gradient).
     *
     * @param a the input
     * @param axis the axis searched
     * @return the indices, the axis dropped
     */
    public static Tensor argmax(Tensor a, int axis) {
        Shape s = a.shape();
        int ax = s.normAxis(axis);
        int outer = s.sizeBetween(0, ax), len = s.dim(ax), inner = s.sizeBetween(ax + 1, s.rank());
        float[] x = a.data(), o = new float[outer * inner];
        for (int p = 0; p < outer; p++)
            for (int q = 0; q < inner; q++) {
                int base = p * len * inner + q, bi = 0;
                for (int k = 1; k < len; k++) if (x[base + k * inner] > x[base + bi * inner]) bi = k;
                o[p * inner + q] = bi;
            }
        return new Tensor(reducedShape(s, ax, false), o);
    }
}
