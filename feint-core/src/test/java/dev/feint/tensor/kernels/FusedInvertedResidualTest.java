package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How {@link FusedInvertedResidual} splits a batch into calls and a lone image over the threads (the values are {@code InvertedResidualTest}'s). */
class FusedInvertedResidualTest {
    @Test
    void callsSplitTheBatchEvenlyOverTheThreads() {
        assertEquals(17, FusedInvertedResidual.imagesEachCall(64, 21, 2), "calls of 17, 17, 17, 13 (34 and 30 images a thread), not 21, 21, 21, 1 (42 and 22)");
        assertEquals(11, FusedInvertedResidual.imagesEachCall(64, 14, 2), "6 calls (33 and 31 images a thread), not 5 (42 and 22)");
        assertEquals(34, FusedInvertedResidual.imagesEachCall(64, 34, 2), "one call a thread (34 and 30)");
        assertEquals(3, FusedInvertedResidual.imagesEachCall(64, 3, 2), "22 calls of at most 3 (33 and 31 images a thread: close enough)");
        assertEquals(1, FusedInvertedResidual.imagesEachCall(1, 21, 2), "a lone image");
        assertEquals(2, FusedInvertedResidual.imagesEachCall(3, 21, 2), "calls of 2 and 1 for 2 threads");
        assertEquals(21, FusedInvertedResidual.imagesEachCall(64, 21, 1), "one thread: calls as large as they go");
        for (int threads = 1; threads <= 4; threads++)
            for (int images = 1; images <= 40; images++)
                for (int n = 1; n <= 130; n++) {
                    int per = FusedInvertedResidual.imagesEachCall(n, images, threads);
                    String at = n + " images, at most " + images + " a call, " + threads + " threads: " + per;
                    assertTrue(per >= 1 && per <= images, at);
                    // The most images a thread runs: within 1/16 of an even share, or no more than with
                    // calls of min(images, n / threads rounded up).
                    int old = Math.min(images, (n + threads - 1) / threads), even = (n + threads - 1) / threads;
                    assertTrue(busiest(n, per, threads) <= Math.max(even + even / 16, busiest(n, old, threads)), at + " loads a thread more than " + old + " would");
                }
    }

    @Test
    void aLoneImageIsSplitOnlyWhereTheBlockIsWorthIt() {
        // MobileNet-V2 on 32x32: features.2 (16x16, stride 2), features.8 (2x2), features.12 (2x2), features.17 (1x1).
        assertEquals(FusedInvertedResidual.LoneSplit.BANDS, split(16, 96, 24, 16, 2, 2), "features.2: a map of 8 output rows");
        assertEquals(FusedInvertedResidual.LoneSplit.CHANNELS, split(32, 192, 64, 4, 2, 2), "features.7: 147 K multiply-adds");
        assertEquals(FusedInvertedResidual.LoneSplit.NONE, split(16, 96, 16, 4, 1, 2), "a 4x4 block of 63 K: less than two hand-offs save");
        assertEquals(FusedInvertedResidual.LoneSplit.CHANNELS, split(96, 576, 96, 2, 1, 2), "features.12: 442 K");
        assertEquals(FusedInvertedResidual.LoneSplit.CHANNELS, split(160, 960, 320, 1, 1, 2), "features.17");
        assertEquals(FusedInvertedResidual.LoneSplit.NONE, split(160, 960, 320, 1, 1, 1), "one thread");
    }

    private static FusedInvertedResidual.LoneSplit split(int c, int ce, int co, int h, int stride, int threads) {
        ConvGeometry e = new ConvGeometry(1, c, h, h, ce, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
        ConvGeometry d = new ConvGeometry(1, ce, h, h, ce, 3, 3, stride, stride, 1, 1, 1, 1, 1, 1, ce);
        ConvGeometry p = new ConvGeometry(1, ce, d.outH(), d.outW(), co, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1);
        return FusedInvertedResidual.loneImageSplit(e, d, p, threads);
    }

    /** The images of the busiest thread when calls of {@code per} images are dealt out in turn. */
    private static int busiest(int n, int per, int threads) {
        int[] load = new int[threads];
        for (int first = 0, call = 0; first < n; first += per, call++) load[call % threads] += Math.min(per, n - first);
        int most = 0;
        for (int l : load) most = Math.max(most, l);
        return most;
    }
}
