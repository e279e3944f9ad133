package dev.feint.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/** Partition {@code partition}: the examples [from, to) of the evaluated dataset. */
record Slice(int partition, int from, int to) implements Serializable {
    int size() { return to - from; }

    /** The dataset positions of the slice's examples. */
    int[] indices() {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) r[i] = from + i;
        return r;
    }

    /** The number of batches of {@code batch} examples in n: the most partitions n examples can have. */
    static int batches(int n, int batch) { return (int) ((n + (long) batch - 1) / batch); }

    /**
     * n examples cut into p contiguous slices by index, each of whole batches (the last batch may
     * be short): every batch then holds the examples it holds on one machine, so even an engine
     * whose kernels round differently for another batch size gives the same bits.
     */
    static List<Slice> of(int n, int batch, int p) {
        int b = batches(n, batch);
        if (p < 1 || p > Math.max(1, b)) throw new IllegalArgumentException("partitions must be in [1, " + b + "], got " + p);
        List<Slice> out = new ArrayList<>(p);
        for (int i = 0; i < p; i++) {
            long from = (long) i * b / p * batch, to = (long) (i + 1) * b / p * batch;
            out.add(new Slice(i, (int) Math.min(n, from), (int) Math.min(n, to)));
        }
        return out;
    }
}
