package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.feint.tensor.Parallel;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A split batch-one call where each thread makes its own padded copy of the input and stores its
 * own channels ({@link ChannelsLastConv#OWN_COPIES}): back-to-back calls with different inputs on
 * one prepared plan give, bit for bit, what one thread gives (a copy left from an earlier call, a
 * block's channels stored from the wrong z or not at all would not).
 */
class OwnCopiesTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restore() { Parallel.setThreads(savedThreads); }

    @Test
    void splitCallsWithOwnCopiesGetTheOneThreadBits() {
        List<ConvGeometry> gs = List.of(
                new ConvGeometry(1, 32, 8, 8, 64, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),     // two panels (resnet18's layer1, narrower)
                new ConvGeometry(1, 20, 4, 4, 70, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),     // three panels, a channel tail
                new ConvGeometry(1, 24, 8, 8, 96, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1),     // stride 2
                new ConvGeometry(1, 16, 5, 5, 64, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1),     // 1x1 read in place
                new ConvGeometry(1, 40, 2, 2, 256, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),    // LoneRow pairs, two groups
                new ConvGeometry(1, 24, 1, 1, 512, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1),    // LoneRow one row, two groups
                new ConvGeometry(1, 3, 16, 16, 64, 7, 7, 2, 2, 3, 3, 3, 3, 1, 1, 1));   // a stem (NCHW input: one shared copy)
        for (ConvGeometry g : gs) {
            Random r = new Random(g.hashCode());
            float[] w = Conv2dKernelsTest.rand(r, (long) g.o() * g.patch()), b = Conv2dKernelsTest.rand(r, g.o());
            int inputs = 3, size = (int) Conv2dKernels.inputSize(g), outSize = (int) Conv2dKernels.outputSize(g);
            // Channels-last input (each thread's own copy, or read in place) and NCHW (the caller's copy, shared).
            for (boolean channelsLast : new boolean[] {true, false}) {
                float[][] x = new float[inputs][], want = new float[inputs][];
                PreparedConv p = PreparedConv.forward(g, w);
                Parallel.setThreads(1);
                for (int i = 0; i < inputs; i++) {
                    x[i] = Conv2dKernelsTest.rand(r, size);
                    for (int q = 0; q < size; q += 3) x[i][q] = 0f;                 // zeros, as after a ReLU (LoneRow skips them)
                    want[i] = new float[outSize];
                    ChannelsLastForward.forward(g, x[i], channelsLast, w, b, 0f, Float.POSITIVE_INFINITY, want[i], p);
                }
                Parallel.setThreads(2);
                for (int call = 0; call < 60; call++) {
                    int i = call % inputs;
                    float[] out = new float[outSize];
                    Arrays.fill(out, Float.NaN);                                           // every element written
                    ChannelsLastForward.forward(g, x[i], channelsLast, w, b, 0f, Float.POSITIVE_INFINITY, out, p);
                    assertArrayEquals(want[i], out, g + " channelsLast " + channelsLast + " call " + call + " input " + i);
                }
            }
        }
    }
}
