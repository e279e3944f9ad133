package dev.feint.data;

import dev.feint.FeintException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class BatchesTest {
    private final Dataset data = DatasetTest.tiny(103);

    private static List<Integer> visited(Iterable<Batch> epoch) {
        List<Integer> out = new ArrayList<>();
        for (Batch b : epoch) for (int i : b.indices()) out.add(i);
        return out;
    }

    @Test void shuffledIsDeterministicAndCoversEachIndexOnce() {
        Batches a = Batches.shuffled(data, 10, 42);
        Batches b = Batches.shuffled(data, 10, 42);
        for (int epoch = 0; epoch < 3; epoch++) {
            List<Integer> va = visited(a.epoch(epoch));
            assertEquals(va, visited(b.epoch(epoch)), "same seed and epoch, same order");
            assertEquals(va, visited(a.epoch(epoch)), "re-iterable");
            int[] sorted = va.stream().mapToInt(Integer::intValue).sorted().toArray();
            int[] all = new int[103];
            Arrays.setAll(all, i -> i);
            assertArrayEquals(all, sorted, "each index exactly once");
        }
        assertNotEquals(visited(a.epoch(0)), visited(a.epoch(1)), "epochs differ");
        assertNotEquals(visited(a.epoch(0)), visited(Batches.shuffled(data, 10, 43).epoch(0)), "seeds differ");
        assertNotEquals(visited(Batches.inOrder(data, 10).epoch(0)), visited(a.epoch(0)), "actually shuffled");
    }

    @Test void batchesCarryMatchingImagesAndLabels() {
        for (Batch b : Batches.shuffled(data, 16, 7).epoch(2)) {
            for (int k = 0; k < b.size(); k++) {
                int i = b.indices()[k];
                assertEquals(i % 3, b.y()[k]);
                assertEquals((i) / 10f, b.x().get(k, 0, 1, 1));
            }
        }
    }

    @Test void lastPartialBatchKeptOrDropped() {
        Batches inOrder = Batches.inOrder(data, 10);
        assertEquals(11, inOrder.count());
        List<Integer> sizes = new ArrayList<>();
        for (Batch b : inOrder.epoch(0)) sizes.add(b.size());
        assertEquals(3, sizes.getLast());
        assertEquals(visited(inOrder.epoch(0)), visited(inOrder.epoch(5)), "in-order ignores epoch");
        assertEquals(0, visited(inOrder.epoch(0)).getFirst());

        Batches dropped = Batches.shuffled(data, 10, 1).dropLast();
        assertEquals(10, dropped.count());
        int n = 0;
        for (Batch b : dropped.epoch(0)) {
            assertEquals(10, b.size());
            n++;
        }
        assertEquals(10, n);
    }

    @Test void badBatchSize() {
        assertEquals("batch size 0 (expected >= 1)", assertThrows(FeintException.class, () -> Batches.inOrder(data, 0)).getMessage());
    }

    @Test void prefetchedGivesTheSameBatchesAndItsErrors() {
        Batches plain = Batches.shuffled(data, 10, 5).dropLast(), ahead = plain.prefetched();
        var a = plain.epoch(3).iterator();
        var b = ahead.epoch(3).iterator();
        int n = 0;
        while (a.hasNext()) {
            Batch x = a.next(), y = b.next();
            assertArrayEquals(x.indices(), y.indices());
            assertArrayEquals(x.y(), y.y());
            assertArrayEquals(x.x().data(), y.x().data());
            n++;
        }
        assertFalse(b.hasNext());
        assertEquals(10, n);
        ExampleSource failing = new ExampleSource() {
            @Override public int size() { return 20; }
            @Override public int[] shape() { return new int[] {1, 1, 1}; }
            @Override public void read(int[] indices, float[] out) {
                for (int i : indices) if (i == 13) throw new dev.feint.FeintException("f.png: cannot decode");
            }
            @Override public String origin() { return "f"; }
        };
        var it = Batches.inOrder(new Dataset("f", failing, new int[20], 1, List.of("a")), 5).prefetched().epoch(0).iterator();
        it.next();
        it.next();
        assertEquals("f.png: cannot decode", assertThrows(dev.feint.FeintException.class, it::next).getMessage(), "the reader's own exception");
    }
}
