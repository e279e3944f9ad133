package dev.feint.onnx;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/** Integer-valued tensors (shapes, axes, indices) held as floats, and back. */
final class Values {
    private Values() {}

    static int[] ints(Tensor t) {
        float[] d = t.data();
        int[] o = new int[d.length];
        for (int i = 0; i < d.length; i++) o[i] = (int) d[i];     // saturates: INT64_MAX stays the largest int
        return o;
    }

    static Tensor ofInts(int[] v) {
        float[] d = new float[v.length];
        for (int i = 0; i < v.length; i++) d[i] = v[i];
        return new Tensor(Shape.of(v.length), d);
    }

    static int axis(int axis, int rank, OnnxNode n) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw n.fail("axis " + axis + " out of range for rank " + rank);
        return a;
    }

    static int[] sortedAxes(int[] axes, int rank, OnnxNode n) {
        int[] o = new int[axes.length];
        for (int i = 0; i < axes.length; i++) o[i] = axis(axes[i], rank, n);
        java.util.Arrays.sort(o);
        for (int i = 1; i < o.length; i++) if (o[i] == o[i - 1]) throw n.fail("axis " + o[i] + " repeated");
        return o;
    }
}
