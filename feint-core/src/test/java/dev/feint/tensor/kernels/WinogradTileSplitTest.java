package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.feint.tensor.Parallel;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link WinogradConv}'s image-by-image calls split over the threads by blocks of tiles (a lone image, or a batch's
 * last few images; b1split): each thread runs its tiles' transforms, products and output transforms, and the
 * outputs are one thread's bits whatever the thread count and the images per call.
 */
@ExtendWith(WinogradOn.class)
class WinogradTileSplitTest {
    @AfterEach
    void oneWorkerPool() { Parallel.setThreads(2); }

    /** madry-cnn's conv2 (49 tiles: 9 slivers, the last with one tile) and its input gradient, and maps of 1, 4, 12 and 63 tiles. */
    static final List<ConvGeometry> GEOMETRIES = List.of(
            new ConvGeometry(3, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1),
            new ConvGeometry(3, 64, 14, 14, 32, 5, 5, 1, 1, 2, 2, 1, 1),
            new ConvGeometry(3, 16, 5, 5, 16, 5, 5, 1, 1, 0, 0, 1, 1),
            new ConvGeometry(3, 20, 4, 4, 24, 5, 5, 1, 1, 2, 2, 1, 1),
            new ConvGeometry(3, 17, 7, 5, 33, 5, 5, 1, 1, 2, 3, 1, 1),
            new ConvGeometry(3, 24, 17, 13, 40, 5, 5, 1, 1, 2, 2, 1, 1));

    @Test
    void splitTilesGiveOneThreadsBits() {
        long seed = 11;
        for (ConvGeometry g : GEOMETRIES) {
            Random r = new Random(seed++);
            float[] x = WinogradInterleavedTest.random(g.n() * g.c() * g.h() * g.w(), r, 1);
            float[] w = WinogradInterleavedTest.random(g.o() * g.patch(), r, 0.1), b = WinogradInterleavedTest.random(g.o(), r, 0.1);
            WinogradConv plan = new WinogradConv(g, w, b, false);
            assertTrue(plan.splitsTiles(), g + " splits its tiles");
            Parallel.setThreads(1);
            float[] one = WinogradInterleavedTest.run(plan, x, false, g.n(), 1, false);
            for (int threads : new int[] {2, 3, 4})
                for (int per : new int[] {1, Math.min(g.n(), plan.images())}) {
                    Parallel.setThreads(threads);
                    float[] got = WinogradInterleavedTest.run(plan, x, false, g.n(), per, true);
                    assertArrayEquals(one, got, g + " threads=" + threads + " images per call=" + per);
                }
        }
    }

    @Test
    void threeByThreeKeepsTheProductSplit() {
        // A ResNet's 3x3 U is streamed from L3: each thread should read only its tile elements' part of it.
        ConvGeometry g = new ConvGeometry(1, 64, 8, 8, 64, 3, 3, 1, 1, 1, 1, 1, 1);
        assertFalse(new WinogradConv(g, new float[64 * 64 * 9], null, false).splitsTiles());
    }
}
