package dev.feint.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.feint.tensor.Arena;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import java.util.Arrays;
import java.util.Random;
import java.util.function.BinaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Elementwise ops on two channels-last inference activations (a residual join) against the same
 * ops on their row-major copies, inside an arena scope whose reused arrays hold garbage (outputs
 * taken from {@link Arena#floatsToOverwrite} must be written in full); odd sizes and batch 1.
 */
class ChannelsLastElementwiseTest {
    @Test
    void channelsLastOperandsGiveTheRowMajorResult() {
        Random r = new Random(3);
        int[][] shapes = {{1, 1, 1, 1}, {1, 3, 5, 7}, {2, 17, 3, 2}, {3, 32, 4, 4}};
        @SuppressWarnings("unchecked")
        BinaryOperator<Tensor>[] ops = new BinaryOperator[] {
            (BinaryOperator<Tensor>) Elementwise::add, (BinaryOperator<Tensor>) Elementwise::sub,
            (BinaryOperator<Tensor>) Elementwise::mul, (BinaryOperator<Tensor>) Elementwise::div};
        for (int[] s : shapes) {
            int n = s[0] * s[1] * s[2] * s[3];
            float[] a = new float[n], b = new float[n];
            for (int i = 0; i < n; i++) { a[i] = (float) r.nextGaussian(); b[i] = 0.5f + r.nextFloat(); }
            for (int k = 0; k < ops.length; k++) {
                float[] want = ops[k].apply(Tensor.of(a.clone(), s), Tensor.of(b.clone(), s)).data();
                try (var g = Grad.noGrad()) {
                    try (var arena = Arena.open()) { Arrays.fill(Arena.floats(n), Float.NaN); }   // a stale array of this size
                    try (var arena = Arena.open()) {
                        Tensor ta = Tensor.channelsLast(Shape.of(s), nhwc(a, s)), tb = Tensor.channelsLast(Shape.of(s), nhwc(b, s));
                        assertArrayEquals(want, ops[k].apply(ta, tb).data(), "op " + k + " on " + Arrays.toString(s));
                    }
                }
            }
        }
    }

    private static float[] nhwc(float[] x, int[] s) {
        int c = s[1], hw = s[2] * s[3];
        float[] d = new float[x.length];
        for (int n = 0; n < s[0]; n++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < hw; p++) d[(n * hw + p) * c + ch] = x[(n * c + ch) * hw + p];
        return d;
    }
}
