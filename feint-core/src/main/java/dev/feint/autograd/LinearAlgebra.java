package dev.feint.autograd;

import dev.feint.tensor.Arena;
import dev.feint.tensor.Parallel;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import dev.feint.tensor.kernels.Gemm;

/** Matrix products on the GEMM kernel: matmul and the fused affine map of a linear layer. */
public final class LinearAlgebra {
    private LinearAlgebra() {}

    /**
     * Matrix product: [m, k] x [k, n] -> [m, n].
     *
     * @param a the left matrix [m, k]
     * @param b the right matrix [k, n]
     * @return the product [m, n], recorded for backprop
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0))
            throw new IllegalArgumentException("matmul needs [m,k] x [k,n], got " + a.shape() + " x " + b.shape());
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        float[] o = Arena.floats(m * n);
        Gemm.sgemmParallel(false, false, m, n, k, a.data(), 0, k, b.data(), 0, n, o, 0, n, false);
        return Grad.record(new Tensor(Shape.of(m, n), o), new Node(a, b) {
            @Override protected void backward(Tensor t, float[] g) {
                if (needs(a)) // dA = G B^T
                    Gemm.sgemmParallel(false, true, m, k, n, g, 0, n, b.data(), 0, n, a.gradBuffer(), 0, k, true);
                if (needs(b)) // dB = A^T G
                    Gemm.sgemmParallel(true, false, k, n, m, a.data(), 0, k, g, 0, n, b.gradBuffer(), 0, n, true);
            }
        }, a, b);
    }

    /** The kind of {@link Tensor#derived} value a linear layer keeps: its weight packed as GEMM's A. */
    private static final Object PACKED_WEIGHT = new Object();

    /**
     * x [b, in], weight [out, in], bias [out] (nullable) -> x W^T + bias, as PyTorch's Linear.
     *
     * @param x the input [b, in]
     * @param weight the weights [out, in]
     * @param bias the bias [out], or null
     * @return x W^T + bias [b, out], recorded for backprop
     */
    public static Tensor linear(Tensor x, Tensor weight, Tensor bias) { return linear(x, weight, bias, false); }

    /**
     * relu(linear(x, weight, bias)) as one op: the ReLU is applied as the product is written out,
     * so its input is never stored. Values and gradients equal the two ops', bit for bit.
     *
     * @param x the input [b, in]
     * @param weight the weights [out, in]
     * @param bias the bias [out], or null
     * @return relu(x W^T + bias) [b, out], recorded for backprop
     */
    public static Tensor linearRelu(Tensor x, Tensor weight, Tensor bias) { return linear(x, weight, bias, true); }

    private static Tensor linear(Tensor x, Tensor weight, Tensor bias, boolean relu) {
        if (x.rank() != 2 || weight.rank() != 2 || x.dim(1) != weight.dim(1))
            throw new IllegalArgumentException("linear needs x [b," + weight.dim(1) + "], got " + x.shape());
        int bsz = x.dim(0), in = x.dim(1), out = weight.dim(0);
        boolean few = bsz <= Gemm.FEW_ROWS;
        float[] o = few ? Arena.floats(bsz * out) : Arena.floatsToOverwrite(bsz * out);   // the transpose back writes every element
        if (few) {                 // streams the weight once: no packing to keep
            if (bias != null) {
                float[] bd = bias.data();
                for (int i = 0; i < bsz; i++) System.arraycopy(bd, 0, o, i * out, out);
            }
            Gemm.sgemmParallel(false, true, bsz, out, in, x.data(), 0, in, weight.data(), 0, in, o, 0, out, bias != null);
            if (relu) for (int i = 0; i < o.length; i++) o[i] = o[i] > 0f ? o[i] : 0f;
        } else {
            // (x W^T)^T = W x^T, W as GEMM's A: packed once per FrozenWeights scope while it is
            // unchanged (an attack's thousands of steps). Outside a scope (training: W moves every
            // step) the plain product packs each block of W into its cache-sized buffer as it goes:
            // with a batch of at most NC columns every block is packed once either way, and the
            // whole packed copy (madry-cnn's 12.8 MB, written then read back) was a pass over
            // memory more. Same bits: the same k blocks, summed in the same order.
            Gemm.PackedA w = weight.derived(PACKED_WEIGHT, (t, stale) -> Gemm.pack(false, out, in, t.data(), 0, in, stale));
            float[] ot = transposed(out * bsz);
            if (w != null) Gemm.sgemmParallel(w, true, bsz, x.data(), 0, in, ot, 0, bsz, false);
            else Gemm.sgemmParallel(false, true, out, bsz, in, weight.data(), 0, in, x.data(), 0, in, ot, 0, bsz, false);
            float[] bd = bias == null ? null : bias.data();
            Parallel.forRange(out, 64, (chunk, from, to) -> {       // transpose back, adding the bias
                // 16 output features at a time: each row of o gets one contiguous run, and the
                // 16 rows of ot read stay in L1 (one feature at a time wrote 4 KB apart).
                for (int j0 = from; j0 < to; j0 += 16) {
                    int j1 = Math.min(to, j0 + 16);
                    for (int i = 0; i < bsz; i++)
                        for (int j = j0, dst = i * out + j0; j < j1; j++, dst++) {
                            float v = ot[j * bsz + i] + (bd == null ? 0f : bd[j]);
                            o[dst] = relu && !(v > 0f) ? 0f : v;
                        }
                }
            });
        }
        Tensor[] ins = bias == null ? new Tensor[] {x, weight} : new Tensor[] {x, weight, bias};
        return Grad.record(new Tensor(Shape.of(bsz, out), o), new Node(ins) {
            @Override protected void backward(Tensor t, float[] gradOut) {
                float[] g = gradOut;
                if (relu) {                                  // through the ReLU as Unary.relu passes it
                    float[] m = g = Arena.floatsToOverwrite(gradOut.length);
                    // 0f + as the zeroed buffer's += gave: a -0 gradient stays +0, the same bits.
                    // Over the worker threads (element by element): serial, it was ~0.7% of the
                    // caller's time in madry-cnn's step at two threads.
                    Parallel.forRange(m.length, Parallel.grain(1), (chunk, from, to) -> {
                        for (int i = from; i < to; i++) m[i] = o[i] > 0f ? 0f + gradOut[i] : 0f;
                    });
                }
                if (needs(x)) { // dX = G W, written outright when it is x's first gradient (no zeroed array to add to)
                    boolean first = x.gradUnset();
                    float[] gx = first ? x.gradBufferToOverwrite() : x.gradBuffer();
                    Gemm.sgemmParallel(false, false, bsz, in, out, g, 0, out, weight.data(), 0, in, gx, 0, in, !first);
                }
                if (needs(weight)) { // dW = G^T X, written outright into a recycled array when it is the first gradient
                    boolean first = weight.gradUnset();
                    float[] gw = first ? weight.gradBufferToOverwrite() : weight.gradBuffer();
                    Gemm.sgemmParallel(true, false, out, in, bsz, g, 0, out, x.data(), 0, in, gw, 0, in, !first);
                }
                if (bias != null && needs(bias)) {
                    float[] gb = bias.gradBuffer();
                    for (int i = 0; i < bsz; i++)
                        for (int j = 0; j < out; j++) gb[j] += g[i * out + j];
                }
            }
        }, ins);
    }

    /** This thread's buffer for the transposed product (it never leaves the call). */
    private static float[] transposed(int size) {
        float[] b = TRANSPOSED.get();
        if (b == null || b.length < size) TRANSPOSED.set(b = new float[size]);
        return b;
    }

    private static final ThreadLocal<float[]> TRANSPOSED = new ThreadLocal<>();
}
