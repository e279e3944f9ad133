package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class AugmentationTest {
    /** [n, 3, 5, 6] with distinct positive values, so every moved pixel can be traced. */
    private static Batch batch(int n, int firstIndex) {
        float[] v = new float[n * 3 * 5 * 6];
        for (int i = 0; i < v.length; i++) v[i] = 1 + i;
        int[] y = new int[n], idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = firstIndex + i;
        return new Batch(Tensor.of(v, n, 3, 5, 6), y, idx);
    }

    @Test void flipIsAMirrorOfEveryRowAndChannel() {
        Batch b = batch(40, 0);
        Batch f = new Augmentation(0, true).apply(b, 7, 0);
        int flipped = 0;
        for (int i = 0; i < 40; i++) {
            boolean same = true, mirror = true;
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 5; y++)
                    for (int x = 0; x < 6; x++) {
                        same &= f.x().get(i, c, y, x) == b.x().get(i, c, y, x);
                        mirror &= f.x().get(i, c, y, x) == b.x().get(i, c, y, 5 - x);
                    }
            assertTrue(same ^ mirror, "example " + i + " is either unchanged or mirrored");
            if (mirror) flipped++;
        }
        assertTrue(flipped > 8 && flipped < 32, "about half flipped: " + flipped);
        Batch twice = new Augmentation(0, true).apply(f, 7, 0);
        assertArrayEquals(b.x().data(), twice.x().data(), "the same draws flip back");
    }

    @Test void cropKeepsTheShapeShiftsTheImageAndPadsWithZeros() {
        Batch b = batch(64, 100);
        Augmentation crop = new Augmentation(2, false);
        Batch a = crop.apply(b, 3, 1);
        assertEquals(b.x().shape(), a.x().shape());
        assertArrayEquals(b.y(), a.y());
        assertArrayEquals(b.indices(), a.indices());
        boolean sawShift = false;
        for (int i = 0; i < 64; i++) {
            // find the shift: the input pixel that landed at the centre (2, 3) of channel 0
            float centre = a.x().get(i, 0, 2, 3);
            int src = (int) centre - 1 - i * 90, dy = src / 6 - 2, dx = src % 6 - 3;
            assertTrue(Math.abs(dy) <= 2 && Math.abs(dx) <= 2, "shift within the padding: " + dy + ", " + dx);
            for (int c = 0; c < 3; c++)
                for (int y = 0; y < 5; y++)
                    for (int x = 0; x < 6; x++) {
                        int sy = y + dy, sx = x + dx;
                        float want = sy < 0 || sy >= 5 || sx < 0 || sx >= 6 ? 0 : b.x().get(i, c, sy, sx);
                        assertEquals(want, a.x().get(i, c, y, x), "example " + i + " (" + c + ", " + y + ", " + x + ")");
                    }
            sawShift |= dy != 0 || dx != 0;
        }
        assertTrue(sawShift);
    }

    @Test void drawsDependOnSeedEpochAndIndexNotOnTheBatch() {
        Augmentation aug = Augmentation.parse("crop4,flip");
        Batch whole = batch(16, 0);
        Tensor all = aug.apply(whole, 11, 2).x();
        assertArrayEquals(all.data(), aug.apply(whole, 11, 2).x().data(), "same seed, same bits");
        // example 9 alone (same index) gets the same crop and flip as within the batch
        float[] one = new float[90];
        System.arraycopy(whole.x().data(), 9 * 90, one, 0, 90);
        Tensor alone = aug.apply(new Batch(Tensor.of(one, 1, 3, 5, 6), new int[1], new int[] {9}), 11, 2).x();
        for (int k = 0; k < 90; k++) assertEquals(all.data()[9 * 90 + k], alone.data()[k]);
        assertFalse(java.util.Arrays.equals(all.data(), aug.apply(whole, 12, 2).x().data()), "another seed, other draws");
        assertFalse(java.util.Arrays.equals(all.data(), aug.apply(whole, 11, 3).x().data()), "another epoch, other draws");
    }

    @Test void parsesTheFlagAndNamesWhatIsWrong() {
        assertEquals(new Augmentation(4, true), Augmentation.parse("crop4,flip"));
        assertEquals("crop4,flip", Augmentation.parse(" Flip , crop4 ").toString());
        assertSame(Augmentation.NONE, Augmentation.parse("none"));
        Batch b = batch(2, 0);
        assertSame(b, Augmentation.NONE.apply(b, 1, 1));
        FeintException e = assertThrows(FeintException.class, () -> Augmentation.parse("crop4,rotate"));
        assertTrue(e.getMessage().contains("unknown step 'rotate'") && e.getMessage().contains("crop4,flip"), e.getMessage());
    }
}
