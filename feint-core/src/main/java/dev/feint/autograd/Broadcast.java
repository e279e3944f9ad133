package dev.feint.autograd;

import dev.feint.tensor.Shape;

/** NumPy broadcasting: the result shape and, for each result element, the source element. */
final class Broadcast {
    private Broadcast() {}

    static Shape result(Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = dimFromRight(a, r - 1 - i), db = dimFromRight(b, r - 1 - i);
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast");
            out[i] = da == 1 ? db : da;
        }
        return Shape.of(out);
    }

    private static int dimFromRight(Shape s, int fromRight) {
        int i = s.rank() - 1 - fromRight;
        return i < 0 ? 1 : s.dim(i);
    }

    /** For each element of out, the flat index of the element of in that broadcasts to it. */
    static int[] sourceIndex(Shape out, Shape in) {
        int r = out.rank();
        int[] inStride = new int[r];
        int[] inSt = in.strides();
        for (int i = 0; i < r; i++) {
            int j = i - (r - in.rank());
            inStride[i] = (j < 0 || in.dim(j) == 1) ? 0 : inSt[j];
        }
        return stridedOffsets(out.dims(), inStride);
    }

    /**
     * Walks dims in row-major order and returns, for each position, the flat offset
     * sum(index[d] * strides[d]): the source element of a broadcast or a permutation.
     */
    static int[] stridedOffsets(int[] dims, int[] strides) {
        int r = dims.length, n = 1;
        for (int d : dims) n *= d;
        int[] map = new int[n];
        int[] idx = new int[r];
        int off = 0;
        for (int k = 0; k < n; k++) {
            map[k] = off;
            for (int d = r - 1; d >= 0; d--) {
                idx[d]++;
                off += strides[d];
                if (idx[d] < dims[d]) break;
                off -= strides[d] * idx[d];
                idx[d] = 0;
            }
        }
        return map;
    }
}
