package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.feint.tensor.Parallel;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link ResidualJoin} against a scalar loop, bit for bit: lengths around the vector length and
 * past the split threshold, NaN, infinities and signed zeros, one to three threads, in place.
 */
class ResidualJoinTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() { Parallel.setThreads(savedThreads); }

    @Test
    void matchesTheScalarSumAndReluBitForBit() {
        Random r = new Random(4);
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, 0f, Float.MIN_VALUE, -Float.MIN_VALUE};
        for (int n : new int[] {1, 7, 15, 16, 17, 33, 1000, 70_001})
            for (int threads = 1; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                float[] a = new float[n], b = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = i % 11 == 3 ? specials[i % specials.length] : (float) r.nextGaussian();
                    b[i] = i % 13 == 5 ? specials[(i / 13) % specials.length] : (float) r.nextGaussian();
                    if (i % 17 == 9) { a[i] = -0f; b[i] = -0f; }   // a sum of -0: ReLU gives +0
                }
                float[] sum = new float[n], relu = new float[n];
                for (int i = 0; i < n; i++) {
                    sum[i] = a[i] + b[i];
                    relu[i] = sum[i] > 0f ? sum[i] : 0f;
                }
                float[] got = new float[n];
                ResidualJoin.add(a, b, got, false);
                assertArrayEquals(sum, got, "sum n " + n + " threads " + threads);
                ResidualJoin.add(a, b, got, true);
                assertArrayEquals(relu, got, "relu n " + n + " threads " + threads);
                float[] inPlace = a.clone();
                ResidualJoin.add(inPlace, b, inPlace, true);
                assertArrayEquals(relu, inPlace, "in place n " + n + " threads " + threads);
            }
    }

    @Test
    void refusesArraysOfDifferentLengths() {
        assertThrows(IllegalArgumentException.class, () -> ResidualJoin.add(new float[3], new float[4], new float[3], true));
    }
}
