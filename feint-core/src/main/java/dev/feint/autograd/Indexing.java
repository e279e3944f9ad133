package dev.feint.autograd;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/**
 * Ops that pick elements by index: gather along an axis, strided slices, broadcasting expand and
 * padding. Each is {@link #take}: out[k] = a[map[k]] (or a fill value where map[k] is -1), whose
 * gradient adds each output's gradient back to the element it came from.
 */
public final class Indexing {
    private Indexing() {}

    /**
     * {@code out[k] = a[map[k]]}, or {@code fill} where {@code map[k] < 0}.
     *
     * @param a the source
     * @param out the result's shape
     * @param map for each output element, the flat index into a, or -1
     * @param fill the value where map is negative
     * @return the gathered tensor; the gradient is scattered back through map
     */
    public static Tensor take(Tensor a, Shape out, int[] map, float fill) {
        if (map.length != out.size()) throw new IllegalArgumentException("take: map of " + map.length + " for shape " + out);
        float[] x = a.data(), o = new float[map.length];
        for (int k = 0; k < o.length; k++) o[k] = map[k] < 0 ? fill : x[map[k]];
        return Grad.record(new Tensor(out, o), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int k = 0; k < g.length; k++) if (map[k] >= 0) ga[map[k]] += g[k];
            }
        }, a);
    }

    /**
     * Elements of a at the given indices along axis (negative indices count from the end); result dims a[:axis] + idxDims + a[axis+1:].
     *
     * @param a the source
     * @param axis the axis indexed
     * @param idx the indices, flat
     * @param idxDims the shape of the indices
     * @return the gathered tensor, recorded for backprop
     */
    public static Tensor gather(Tensor a, int axis, int[] idx, int[] idxDims) {
        Shape s = a.shape();
        int ax = s.normAxis(axis), len = s.dim(ax);
        int outer = s.sizeBetween(0, ax), inner = s.sizeBetween(ax + 1, s.rank());
        int[] od = new int[s.rank() - 1 + idxDims.length];
        for (int i = 0; i < ax; i++) od[i] = s.dim(i);
        System.arraycopy(idxDims, 0, od, ax, idxDims.length);
        for (int i = ax + 1; i < s.rank(); i++) od[idxDims.length + i - 1] = s.dim(i);
        int[] map = new int[outer * idx.length * inner];
        for (int j = 0; j < idx.length; j++) {
            int v = idx[j] < 0 ? idx[j] + len : idx[j];
            if (v < 0 || v >= len) throw new IllegalArgumentException("gather index " + idx[j] + " out of range for axis " + ax + " of " + s);
            for (int p = 0; p < outer; p++)
                for (int q = 0; q < inner; q++) map[(p * idx.length + j) * inner + q] = (p * len + v) * inner + q;
        }
        return take(a, Shape.of(od), map, 0f);
    }

    /**
     * Per axis, elements start, start + step, ... while before end (step may be negative); bounds already clamped.
     *
     * @param a the source
     * @param starts the first index per axis
     * @param ends the end (exclusive) per axis
     * @param steps the step per axis, not 0
     * @return the slice, recorded for backprop
     */
    public static Tensor slice(Tensor a, int[] starts, int[] ends, int[] steps) {
        Shape s = a.shape();
        int r = s.rank();
        int[] od = new int[r], st = s.strides(), ost = new int[r];
        int base = 0;
        for (int d = 0; d < r; d++) {
            if (steps[d] == 0) throw new IllegalArgumentException("slice step 0 on axis " + d);
            int n = steps[d] > 0 ? Math.max(0, (ends[d] - starts[d] + steps[d] - 1) / steps[d])
                    : Math.max(0, (starts[d] - ends[d] - steps[d] - 1) / -steps[d]);
            od[d] = n;
            base += n > 0 ? starts[d] * st[d] : 0;
            ost[d] = st[d] * steps[d];
        }
        int[] map = Broadcast.stridedOffsets(od, ost);
        for (int k = 0; k < map.length; k++) map[k] += base;
        return take(a, Shape.of(od), map, 0f);
    }

    /**
     * a broadcast to shape out (NumPy rules).
     *
     * @param a the source
     * @param out the target shape
     * @return the broadcast tensor; its gradient sums back into a
     */
    public static Tensor expand(Tensor a, Shape out) {
        Shape os = Broadcast.result(a.shape(), out);
        return take(a, os, Broadcast.sourceIndex(os, a.shape()), 0f);
    }

    /** How {@link #pad} fills the new elements (ONNX Pad's modes). */
    public enum PadMode {
        /** A constant value. */
        CONSTANT,
        /** The mirror image, edge not repeated. */
        REFLECT,
        /** The edge value repeated. */
        EDGE
    }

    /**
     * Pads before[d] and after[d] elements on each axis (negative values crop).
     *
     * @param a the source
     * @param before elements added before, per axis
     * @param after elements added after, per axis
     * @param mode how new elements are filled
     * @param value the fill of {@link PadMode#CONSTANT}
     * @return the padded tensor, recorded for backprop
     */
    public static Tensor pad(Tensor a, int[] before, int[] after, PadMode mode, float value) {
        Shape s = a.shape();
        int r = s.rank();
        int[] od = new int[r], st = s.strides();
        for (int d = 0; d < r; d++) {
            od[d] = s.dim(d) + before[d] + after[d];
            if (od[d] < 0) throw new IllegalArgumentException("pad makes axis " + d + " of " + s + " negative");
            if (mode == PadMode.REFLECT && (before[d] >= s.dim(d) || after[d] >= s.dim(d)) && (before[d] > 0 || after[d] > 0))
                throw new IllegalArgumentException("reflect pad of " + Math.max(before[d], after[d]) + " needs axis " + d + " longer, shape " + s);
        }
        Shape os = Shape.of(od);
        int[] map = new int[os.size()], idx = new int[r];
        for (int k = 0; k < map.length; k++) {
            int off = 0;
            for (int d = 0; d < r && off >= 0; d++) {
                int i = idx[d] - before[d], n = s.dim(d);
                if (i < 0 || i >= n) {
                    if (mode == PadMode.CONSTANT || n == 0) { off = -1; break; }
                    if (mode == PadMode.EDGE) i = i < 0 ? 0 : n - 1;
                    else i = i < 0 ? -i : 2 * (n - 1) - i;
                }
                off += i * st[d];
            }
            map[k] = off;
            for (int d = r - 1; d >= 0; d--) {
                if (++idx[d] < od[d]) break;
                idx[d] = 0;
            }
        }
        return take(a, os, map, value);
    }
}
