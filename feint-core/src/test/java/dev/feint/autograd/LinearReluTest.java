package dev.feint.autograd;

import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused linear + ReLU equals the two ops in sequence, values and gradients, bit for bit. */
class LinearReluTest {
    private static Tensor rand(SplittableRandom r, int... dims) {
        float[] d = new float[Shape.of(dims).size()];
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextDouble() * 2 - 1);
        return new Tensor(Shape.of(dims), d);
    }

    private static Tensor copy(Tensor t) { return new Tensor(t.shape(), t.data().clone()).requiresGrad(true); }

    /** {output, grad x, grad w, grad bias}. */
    private static float[][] run(Tensor x0, Tensor w0, Tensor b0, boolean fused) {
        Tensor x = copy(x0), w = copy(w0), b = b0 == null ? null : copy(b0);
        Tensor y = fused ? LinearAlgebra.linearRelu(x, w, b) : Unary.relu(LinearAlgebra.linear(x, w, b));
        y.mul(rand(new SplittableRandom(5), y.shape().dims())).sum().backward();
        return new float[][] {y.data(), x.grad(), w.grad(), b == null ? new float[0] : b.grad()};
    }

    // Batches of one and two (the unpacked path) and larger (the packed, transposed path).
    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 9, 40})
    void fusedEqualsUnfused(int batch) {
        SplittableRandom r = new SplittableRandom(batch);
        int in = 37 + r.nextInt(200), out = 5 + r.nextInt(70);
        Tensor x = rand(r, batch, in), w = rand(r, out, in), b = batch % 2 == 0 ? null : rand(r, out);
        for (boolean frozen : new boolean[] {false, true})
            try (var f = frozen ? FrozenWeights.open() : null) {
                float[][] fused = run(x, w, b, true), plain = run(x, w, b, false);
                for (int i = 0; i < fused.length; i++) assertArrayEquals(plain[i], fused[i], "batch " + batch + " part " + i);
                int zeros = 0;
                for (float v : fused[0]) if (v == 0f) zeros++;
                assertTrue(zeros > 0 && zeros < fused[0].length, "the ReLU should clip some outputs and pass others");
            }
    }

    /**
     * Inside a FrozenWeights scope the weights are packed once and kept; outside (training) the
     * plain product packs them block by block: the same values and gradients, bit for bit, with
     * several k blocks (in above 256) and m blocks (out above 96), on one and two threads.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 2})
    void packedOnceEqualsPackedPerBlock(int threads) {
        int before = dev.feint.tensor.Parallel.threads();
        dev.feint.tensor.Parallel.setThreads(threads);
        try {
            SplittableRandom r = new SplittableRandom(11);
            Tensor x = rand(r, 70, 700), w = rand(r, 200, 700), b = rand(r, 200);
            float[][] plain = run(x, w, b, true), frozen;
            try (var f = FrozenWeights.open()) {
                frozen = run(x, w, b, true);
            }
            for (int i = 0; i < plain.length; i++) assertArrayEquals(frozen[i], plain[i], "part " + i);
            float[] ref = new float[70 * 200];
            dev.feint.tensor.kernels.GemmReference.sgemm(false, true, 70, 200, 700, x.data(), 0, 700, w.data(), 0, 700, ref, 0, 200, false);
            for (int i = 0; i < ref.length; i++) {
                float v = ref[i] + b.data()[i % 200];
                assertEquals(Math.max(v, 0f), plain[0][i], 1e-3f, "output " + i);
            }
        } finally {
            dev.feint.tensor.Parallel.setThreads(before);
        }
    }
}
