package dev.feint.autograd;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/** Reshape, flatten, transpose (permute), concat and slice. */
public final class Shapes {
    private Shapes() {}

    /**
     * Same elements, new shape; one dimension may be -1. Shares the data array.
     *
     * @param a the input
     * @param dims the new dimensions; one may be -1 (inferred)
     * @return the reshaped tensor, recorded for backprop
     */
    public static Tensor reshape(Tensor a, int... dims) {
        int[] d = dims.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < d.length; i++) {
            if (d[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("only one -1 allowed in reshape " + java.util.Arrays.toString(dims));
                infer = i;
            } else known *= d[i];
        }
        if (infer >= 0) d[infer] = known == 0 ? 0 : a.size() / known;
        Shape s = Shape.of(d);
        if (s.size() != a.size())
            throw new IllegalArgumentException("cannot reshape " + a.shape() + " to " + java.util.Arrays.toString(dims));
        return Grad.record(new Tensor(s, a.data()), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int i = 0; i < g.length; i++) ga[i] += g[i];
            }
        }, a);
    }

    /**
     * Flattens all but the first axis: [N, ...] -> [N, prod(...)].
     *
     * @param a the input, rank at least 1
     * @return the flattened tensor, recorded for backprop
     */
    public static Tensor flatten(Tensor a) {
        return reshape(a, a.shape().dim(0), -1);
    }

    /**
     * Swaps the last two axes (matrix transpose, batched over leading axes).
     *
     * @param a the input, rank at least 2
     * @return the transposed tensor, recorded for backprop
     */
    public static Tensor transpose(Tensor a) {
        int r = a.rank();
        int[] perm = new int[r];
        for (int i = 0; i < r; i++) perm[i] = i;
        perm[r - 1] = r - 2;
        perm[r - 2] = r - 1;
        return permute(a, perm);
    }

    /**
     * Reorders axes: result axis i is input axis perm[i].
     *
     * @param a the input
     * @param perm a permutation of 0..rank-1
     * @return the permuted tensor (a copy), recorded for backprop
     */
    public static Tensor permute(Tensor a, int... perm) {
        Shape s = a.shape();
        int r = s.rank();
        if (perm.length != r) throw new IllegalArgumentException("permute needs " + r + " axes");
        int[] od = new int[r], inSt = s.strides(), st = new int[r];
        boolean[] used = new boolean[r];
        for (int i = 0; i < r; i++) {
            int p = s.normAxis(perm[i]);
            if (used[p]) throw new IllegalArgumentException("axis repeated in permute " + java.util.Arrays.toString(perm));
            used[p] = true;
            od[i] = s.dim(p);
            st[i] = inSt[p];
        }
        Shape os = Shape.of(od);
        int n = os.size();
        int[] map = Broadcast.stridedOffsets(od, st);
        float[] x = a.data(), o = new float[n];
        for (int k = 0; k < n; k++) o[k] = x[map[k]];
        return Grad.record(new Tensor(os, o), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int k = 0; k < n; k++) ga[map[k]] += g[k];
            }
        }, a);
    }

    /**
     * Joins tensors along an axis; other dims must agree.
     *
     * @param axis the axis joined along
     * @param ts the tensors, at least one
     * @return the joined tensor, recorded for backprop
     */
    public static Tensor concat(int axis, Tensor... ts) {
        Shape s0 = ts[0].shape();
        int ax = s0.normAxis(axis);
        int total = 0;
        for (Tensor t : ts) {
            if (t.rank() != s0.rank()) throw new IllegalArgumentException("concat rank mismatch");
            for (int i = 0; i < s0.rank(); i++)
                if (i != ax && t.shape().dim(i) != s0.dim(i))
                    throw new IllegalArgumentException("concat shape mismatch: " + s0 + " vs " + t.shape());
            total += t.shape().dim(ax);
        }
        int[] od = s0.dims();
        od[ax] = total;
        int outer = s0.sizeBetween(0, ax), inner = s0.sizeBetween(ax + 1, s0.rank());
        float[] o = new float[outer * total * inner];
        int pos = 0;
        for (Tensor t : ts) {
            int len = t.shape().dim(ax) * inner;
            for (int p = 0; p < outer; p++)
                System.arraycopy(t.data(), p * len, o, (p * total) * inner + pos, len);
            pos += len;
        }
        final int tot = total;
        return Grad.record(new Tensor(Shape.of(od), o), new Node(ts) {
            @Override protected void backward(Tensor out, float[] g) {
                int at = 0;
                for (Tensor t : ts) {
                    int len = t.shape().dim(ax) * inner;
                    if (needs(t)) {
                        float[] gt = t.gradBuffer();
                        for (int p = 0; p < outer; p++) {
                            int src = p * tot * inner + at;
                            for (int q = 0; q < len; q++) gt[p * len + q] += g[src + q];
                        }
                    }
                    at += len;
                }
            }
        }, ts);
    }

    /**
     * Elements [from, to) along an axis.
     *
     * @param a the input
     * @param axis the axis sliced
     * @param from the first index
     * @param to one past the last index
     * @return the slice (a copy), recorded for backprop
     */
    public static Tensor slice(Tensor a, int axis, int from, int to) {
        Shape s = a.shape();
        int ax = s.normAxis(axis);
        if (from < 0 || to > s.dim(ax) || from > to)
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") out of range for axis " + ax + " of " + s);
        int[] od = s.dims();
        od[ax] = to - from;
        int outer = s.sizeBetween(0, ax), inner = s.sizeBetween(ax + 1, s.rank()), len = s.dim(ax);
        int w = (to - from) * inner;
        float[] x = a.data(), o = new float[outer * w];
        for (int p = 0; p < outer; p++) System.arraycopy(x, (p * len + from) * inner, o, p * w, w);
        return Grad.record(new Tensor(Shape.of(od), o), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int p = 0; p < outer; p++) {
                    int dst = (p * len + from) * inner;
                    for (int q = 0; q < w; q++) ga[dst + q] += g[p * w + q];
                }
            }
        }, a);
    }
}
