package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetChooserTest {
    static final int[] LABELS = {0, 1, 2, 3, 0, 1, 2, 3};
    static final int[] IDX = {10, 11, 12, 13, 14, 15, 16, 17};

    static Tensor logits() {
        float[] z = new float[8 * 4];
        for (int i = 0; i < 8; i++) for (int k = 0; k < 4; k++) z[i * 4 + k] = (k * 7 + i * 3) % 5;
        return Tensor.of(z, 8, 4);
    }

    @Test
    void randomIsSeededPerDatasetIndexAndNeverTheLabel() {
        int[] a = TargetChooser.random(9).choose(LABELS, logits(), IDX);
        assertArrayEquals(a, TargetChooser.random(9).choose(LABELS, logits(), IDX));
        int[] tail = TargetChooser.random(9).choose(new int[] {0, 1}, Tensor.zeros(2, 4), new int[] {14, 15});
        assertArrayEquals(new int[] {a[4], a[5]}, tail, "batching must not change the choice");
        for (int i = 0; i < 8; i++) assertNotEquals(LABELS[i], a[i]);
        int[] counts = new int[4];
        for (int i = 0; i < 400; i++) counts[TargetChooser.random(1).choose(new int[] {0}, Tensor.zeros(1, 4), new int[] {i})[0]]++;
        assertEquals(0, counts[0]);
        for (int k = 1; k < 4; k++) assertTrue(counts[k] > 90, "roughly uniform over the other classes");
    }

    @Test
    void leastLikelyFixedAndGiven() {
        Tensor z = logits();
        int[] ll = TargetChooser.leastLikely().choose(LABELS, z, IDX);
        for (int i = 0; i < 8; i++)
            for (int k = 0; k < 4; k++) if (k != LABELS[i]) assertTrue(z.data()[i * 4 + ll[i]] <= z.data()[i * 4 + k]);
        assertArrayEquals(new int[] {2, 2, -1, 2, 2, 2, -1, 2}, TargetChooser.fixed(2).choose(LABELS, z, IDX));
        assertEquals("target class 4 is outside the model's classes 0..3",
                assertThrows(FeintException.class, () -> TargetChooser.fixed(4).choose(LABELS, z, IDX)).getMessage());
        int[] given = new int[20];
        for (int i = 0; i < 8; i++) given[IDX[i]] = (LABELS[i] + 1) % 4;
        given[12] = 2;
        assertEquals("target class 2 equals the true label of example 12 (a targeted attack needs a different class)",
                assertThrows(FeintException.class, () -> TargetChooser.given(given).choose(LABELS, z, IDX)).getMessage());
        assertEquals("target must be a class number, random or least-likely, got 'most-likely'",
                assertThrows(FeintException.class, () -> TargetChooser.parse("most-likely", 0)).getMessage());
    }
}
