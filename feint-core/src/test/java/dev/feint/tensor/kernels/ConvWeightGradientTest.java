package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.feint.tensor.Parallel;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ConvWeightGradient} against {@link ConvReference} on the shapes its tiling has edges for. */
class ConvWeightGradientTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() { Parallel.setThreads(savedThreads); }

    /**
     * Runs that end inside a tile (7 and 3 channels: 21- and 9-float kernel rows), a ragged last
     * channel panel (40 and 33 outputs), chunks of several images with a short last one (4x4 maps,
     * 37 images: 16 + 16 + 5), more chunks than partial sums, strided and dilated taps, asymmetric
     * padding, strided 1x1 (the sampled buffer), single pixels and a single image.
     */
    static ConvGeometry[] geometries() {
        return new ConvGeometry[] {
            new ConvGeometry(3, 7, 9, 11, 40, 3, 3, 1, 1, 1, 1, 1, 1),
            new ConvGeometry(2, 3, 32, 32, 16, 3, 3, 1, 1, 1, 1, 1, 1),
            new ConvGeometry(37, 20, 4, 4, 33, 3, 3, 1, 1, 1, 1, 1, 1),
            new ConvGeometry(21, 16, 8, 8, 24, 3, 3, 2, 2, 1, 1, 1, 1),
            new ConvGeometry(4, 12, 10, 9, 8, 3, 3, 1, 1, 2, 2, 2, 2),
            new ConvGeometry(3, 5, 9, 13, 6, 2, 3, 2, 1, 1, 0, 2, 1, 1, 2, 1),
            new ConvGeometry(5, 24, 8, 8, 70, 1, 1, 2, 2, 0, 0, 1, 1),
            new ConvGeometry(6, 9, 1, 1, 5, 1, 1, 1, 1, 0, 0, 1, 1),
            new ConvGeometry(2, 4, 1, 1, 7, 3, 3, 1, 1, 1, 1, 1, 1),
            new ConvGeometry(1, 1, 5, 5, 1, 5, 5, 1, 1, 2, 2, 1, 1),
            // madry-cnn's conv1 (one channel, 5x5: tiles of 5 taps) on a few images, and 3 channels x 5 (runs of 15)
            new ConvGeometry(3, 1, 28, 28, 32, 5, 5, 1, 1, 2, 2, 1, 1),
            new ConvGeometry(2, 3, 9, 9, 40, 5, 5, 1, 1, 2, 2, 1, 1)};
    }

    private static float[] rand(Random r, long n) { return Conv2dKernelsTest.rand(r, n); }

    /** gradW and gradBias from the kernel (full or per-image gradient) on top of non-zero starting values. */
    private static float[][] run(ConvGeometry g, long seed, boolean perImage, boolean reference) {
        Random r = new Random(seed);
        float[] x = rand(r, (long) g.n() * g.c() * g.h() * g.w());
        int outImage = g.o() * g.outH() * g.outW();
        float[] go = rand(r, (long) g.n() * outImage), gw = rand(r, (long) g.o() * g.patch()), gb = rand(r, g.o());
        if (reference) ConvReference.backwardWeight(g, x, go, gw, gb);
        else if (!perImage) ConvWeightGradient.backward(g, x, go, null, gw, gb);
        else ConvWeightGradient.backward(g, x, null, (n, dst) -> System.arraycopy(go, n * outImage, dst, 0, outImage), gw, gb);
        return new float[][] {gw, gb};
    }

    @Test
    void matchesReferenceWholeAndPerImage() {
        Parallel.setThreads(2);
        long seed = 40;
        for (ConvGeometry g : geometries()) {
            float[][] want = run(g, seed, false, true);
            for (boolean perImage : new boolean[] {false, true}) {
                float[][] got = run(g, seed, perImage, false);
                int terms = g.n() * g.outH() * g.outW();
                String e = Conv2dKernelsTest.compare(want[0], got[0], terms);
                if (e == null) e = Conv2dKernelsTest.compare(want[1], got[1], terms);
                if (e != null) fail((perImage ? "per image " : "whole ") + g + ": " + e);
            }
            seed++;
        }
    }

    @Test
    void sameBitsOnOneTwoAndThreeThreads() {
        for (ConvGeometry g : geometries()) {
            Parallel.setThreads(1);
            float[][] one = run(g, 9, false, false);
            for (int t : new int[] {2, 3}) {
                Parallel.setThreads(t);
                float[][] many = run(g, 9, t == 3, false);
                assertArrayEquals(one[0], many[0], "gradW " + g + " threads=" + t);
                assertArrayEquals(one[1], many[1], "gradBias " + g + " threads=" + t);
            }
        }
    }
}
