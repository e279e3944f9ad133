package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class DatasetTest {
    /** 5 examples of [1,2,2] where every pixel of example i is i / 10, labels i mod 3. */
    static Dataset tiny(int n) {
        float[] px = new float[n * 4];
        for (int i = 0; i < px.length; i++) px[i] = (i / 4) / 10f;
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = i % 3;
        return new Dataset("tiny", Tensor.of(px, n, 1, 2, 2), labels, 3, List.of("a", "b", "c"));
    }

    @Test void sliceSubsetExample() {
        Dataset d = tiny(5);
        assertEquals(5, d.size());
        Dataset s = d.slice(1, 4);
        assertEquals(3, s.size());
        assertArrayEquals(new int[] {1, 2, 0}, s.labels());
        assertEquals(0.1f, s.images().get(0, 0, 1, 1));
        Dataset sub = d.subset(new int[] {4, 0, 4});
        assertArrayEquals(new int[] {1, 0, 1}, sub.labels());
        assertEquals(0.4f, sub.images().get(2, 0, 0, 0));
        assertEquals(0f, sub.images().get(1, 0, 0, 0));
        Tensor ex = d.example(3);
        assertArrayEquals(new int[] {1, 1, 2, 2}, ex.dims());
        assertEquals(0.3f, ex.get(0, 0, 1, 0));
        ex.data()[0] = 99f;
        assertEquals(0.3f, d.images().get(3, 0, 0, 0), "views copy");
        assertArrayEquals(new int[] {2, 2, 1}, d.classCounts());
        assertEquals(0, d.slice(2, 2).size());
    }

    @Test void badIndicesAreClearErrors() {
        Dataset d = tiny(5);
        assertTrue(assertThrows(FeintException.class, () -> d.example(5)).getMessage().contains("example index 5 of dataset 'tiny' (expected 0..4)"));
        assertThrows(FeintException.class, () -> d.slice(3, 2));
        assertThrows(FeintException.class, () -> d.subset(new int[] {-1}));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("x", Tensor.zeros(2, 1, 1, 1), new int[] {0, 3}, 3, List.of("a", "b", "c")));
        int[] labels = {0, 1};
        Dataset e = new Dataset("x", Tensor.zeros(2, 1, 1, 1), labels, 2, List.of("a", "b"));
        labels[0] = 1;
        e.labels()[1] = 0;
        assertArrayEquals(new int[] {0, 1}, e.labels(), "labels are defensively copied");
    }
}
