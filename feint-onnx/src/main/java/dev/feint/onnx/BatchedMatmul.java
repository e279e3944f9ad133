package dev.feint.onnx;

import dev.feint.autograd.Indexing;
import dev.feint.autograd.LinearAlgebra;
import dev.feint.autograd.Shapes;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/** [..., m, k] x [..., k, n] with broadcast batch axes, as one 2-D product per batch entry. */
final class BatchedMatmul {
    private BatchedMatmul() {}

    static Tensor of(Tensor a, Tensor b) {
        int ra = a.rank(), rb = b.rank();
        int m = a.dim(ra - 2), k = a.dim(ra - 1), n = b.dim(rb - 1);
        if (b.dim(rb - 2) != k) throw new IllegalArgumentException("matmul " + a.shape() + " x " + b.shape());
        Shape ba = Shape.of(java.util.Arrays.copyOf(a.dims(), ra - 2)), bb = Shape.of(java.util.Arrays.copyOf(b.dims(), rb - 2));
        int r = Math.max(ba.rank(), bb.rank());
        int[] batch = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i - (r - ba.rank()) >= 0 ? ba.dim(i - (r - ba.rank())) : 1, db = i - (r - bb.rank()) >= 0 ? bb.dim(i - (r - bb.rank())) : 1;
            if (da != db && da != 1 && db != 1) throw new IllegalArgumentException("matmul batch axes " + ba + " and " + bb + " do not broadcast");
            batch[i] = Math.max(da, db);
        }
        int nb = Shape.of(batch).size();
        Tensor ea = Indexing.expand(a, Shape.of(concat(batch, m, k))).reshape(nb, m, k);
        Tensor eb = Indexing.expand(b, Shape.of(concat(batch, k, n))).reshape(nb, k, n);
        Tensor[] parts = new Tensor[nb];
        for (int i = 0; i < nb; i++)
            parts[i] = LinearAlgebra.matmul(Shapes.slice(ea, 0, i, i + 1).reshape(m, k), Shapes.slice(eb, 0, i, i + 1).reshape(k, n)).reshape(1, m, n);
        Tensor y = nb == 0 ? Tensor.zeros(0, m, n) : Shapes.concat(0, parts);
        return y.reshape(concat(batch, m, n));
    }

    private static int[] concat(int[] a, int x, int y) {
        int[] o = java.util.Arrays.copyOf(a, a.length + 2);
        o[a.length] = x;
        o[a.length + 1] = y;
        return o;
    }
}
