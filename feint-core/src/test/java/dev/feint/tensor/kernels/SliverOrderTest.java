package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** {@link SliverOrder}'s rows and tap ranges; the values it leads to are {@code ChannelsLastForwardTest}'s. */
class SliverOrderTest {
    /** 3x3, pad 1, on a 2x2 map of 5 channels: each output pixel reads 2 of the 3 kernel rows and columns. */
    private static final ConvGeometry G = new ConvGeometry(8, 5, 2, 2, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1);
    private static final int WP = 4, IMAGE = 4 * 4 * 5;

    @Test
    void aPixelMajorSliverTakesOnePixelOfFourImagesAndOnlyItsTaps() {
        SliverOrder o = new SliverOrder(G, 4, 8, true, IMAGE, WP, true);
        assertEquals(8, o.slivers);
        assertEquals(4, o.zStep);
        // sliver 0: pixel (0, 0) of images 0..3 (z rows 0, 4, 8, 12); it reads kernel rows 1..2, columns 1..2
        assertArrayEquals(new int[] {0, IMAGE, 2 * IMAGE, 3 * IMAGE}, java.util.Arrays.copyOfRange(o.base, 0, 4));
        assertEquals(0, o.zRow[0]);
        assertEquals(1, o.runLo[0]);
        assertEquals(3, o.runHi[0]);
        assertEquals(5, o.tapLo[0]);
        assertEquals(15, o.tapHi[0]);
        // sliver 3: pixel (0, 1) of images 4..7, z row 4 * 4 + 1; kernel columns 0..1
        assertEquals(4 * 4 + 1, o.zRow[3]);
        assertEquals(4 * IMAGE + 5, o.base[12]);
        assertEquals(0, o.tapLo[3]);
        assertEquals(10, o.tapHi[3]);
        // sliver 7: pixel (1, 1) of images 4..7: kernel rows 0..1, columns 0..1
        assertEquals(0, o.runLo[7]);
        assertEquals(2, o.runHi[7]);
        assertEquals(4 * 4 + 3, o.zRow[7]);
    }

    @Test
    void anImageMajorSliverTakesAnImagesPixelsAndTheUnionOfTheirTaps() {
        SliverOrder o = new SliverOrder(G, 4, 8, false, IMAGE, WP, true);
        assertEquals(1, o.zStep);
        assertEquals(4, o.zRow[1]);
        assertArrayEquals(new int[] {0, 5, 4 * 5, 5 * 5}, java.util.Arrays.copyOfRange(o.base, 0, 4));
        assertEquals(0, o.runLo[0]);
        assertEquals(3, o.runHi[0]);
        assertEquals(0, o.tapLo[0]);
        assertEquals(15, o.tapHi[0]);
    }

    @Test
    void callsOfAMultipleOfFourImagesOnSmallPaddedMapsGoPixelMajorWithFourRowTiles() {
        assumeTrue(ChannelsLastConv.PIXEL_MAJOR, "pixel-major slivers are for the 4-row tiles (AVX2)");
        ChannelsLastConv.Plan plan = new ChannelsLastConv.Plan(G, new float[16 * 5 * 9], null, ChannelsLastConv.Plan.imagesPerCall(G));
        assertEquals(12, plan.images);
        assertEquals(4, plan.order(8).zStep);
        assertEquals(4, plan.order(12).zStep);
        assertSame(plan.order(8), plan.order(8));
        assertSame(plan.order, plan.order(7));             // not a multiple of 4: image-major
        assertEquals(1, plan.order(1).zStep);
        // a 4x4 output takes 4 images per call (48 rows would be 3), so its calls can go pixel-major
        assertEquals(4, ChannelsLastConv.Plan.imagesPerCall(new ConvGeometry(8, 5, 8, 8, 16, 3, 3, 2, 2, 1, 1, 1, 1, 1, 1, 1)));
        // unpadded (a 1x1): every tap is real, image-major as before
        assertEquals(48 / 4, ChannelsLastConv.Plan.imagesPerCall(new ConvGeometry(8, 5, 2, 2, 16, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 1)));
    }
}
