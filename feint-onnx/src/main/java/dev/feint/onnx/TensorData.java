package dev.feint.onnx;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/** A decoded ONNX tensor: its name, original element type, dims and values as float32. */
record TensorData(String name, int dataType, int[] dims, float[] data) {
    /** The largest tensor Feint takes from a file, in elements (a float[] of this size is 1 GiB). */
    static final long MAX_ELEMENTS = 1L << 28;

    public Tensor toTensor() { return new Tensor(Shape.of(dims), data); }

    /** Dims as ints, each non-negative, their product at most {@link #MAX_ELEMENTS}. */
    static int[] checkedDims(long[] dims, ProtoWalker w, String what) {
        if (dims.length > 16) throw w.bad(what + " has " + dims.length + " dimensions (at most 16 supported)");
        int[] d = new int[dims.length];
        long count = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0 || dims[i] > MAX_ELEMENTS)
                throw w.bad(what + " has dimension " + dims[i] + " (expected 0.." + MAX_ELEMENTS + ")");
            d[i] = (int) dims[i];
            count *= dims[i];
            if (count > MAX_ELEMENTS)
                throw w.bad(what + " declares dims " + java.util.Arrays.toString(dims) + ", more than " + MAX_ELEMENTS + " elements");
        }
        return d;
    }
}
