package dev.feint.tensor;

import dev.feint.autograd.LinearAlgebra;
import dev.feint.optim.Sgd;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Packed weights kept in a FrozenWeights scope: same values as unkept, and never stale after a change. */
class FrozenWeightsTest {
    private final SplittableRandom r = new SplittableRandom(3);
    // Large enough for the packed path (more than Gemm.FEW_ROWS rows), ragged against the tiles.
    private final Tensor x = Tensor.uniform(r, -1, 1, 9, 37), w = Tensor.uniform(r, -1, 1, 23, 37), b = Tensor.uniform(r, -1, 1, 23);

    private float[] linear() { return LinearAlgebra.linear(x, w, b).data(); }

    @Test
    void keptAndUnkeptPackingsGiveTheSameBits() {
        float[] outside = linear();
        try (var frozen = FrozenWeights.open()) {
            assertArrayEquals(outside, linear());
            assertArrayEquals(outside, linear());       // second call: from the kept packing
        }
    }

    @Test
    void anOptimizerStepInsideTheScopeIsSeen() {
        try (var frozen = FrozenWeights.open()) {
            float[] before = linear();
            w.requiresGrad(true);
            LinearAlgebra.linear(x, w, b).sum().backward();
            new Sgd(List.of(w), 0.5f, 0f, false, 0f).step();
            float[] after = linear();
            assertFalse(java.util.Arrays.equals(before, after), "the step changed nothing: the test proves little");
            assertArrayEquals(outsideScope(), after);
        }
    }

    @Test
    void directWritesAreSeenOutsideAScopeAndAfterMarkModifiedInside() {
        float[] before = linear();
        w.data()[5] += 1f;
        float[] changed = linear();
        assertFalse(java.util.Arrays.equals(before, changed), "outside a scope a direct write must be seen");
        try (var frozen = FrozenWeights.open()) {
            assertArrayEquals(changed, linear());
            w.data()[5] -= 1f;
            w.markModified();
            assertArrayEquals(before, linear());
        }
    }

    @Test
    void nothingIsKeptOutsideAScopeAndAClosedScopeIsRetired() {
        Object kind = new Object();
        assertNull(w.derived(kind, (t, stale) -> new float[1]));
        float[] first;
        try (var frozen = FrozenWeights.open()) {
            first = w.derived(kind, (t, stale) -> new float[1]);
            assertNotNull(first);
            try (var inner = FrozenWeights.open()) {            // nested: joins the open scope
                assertSame(first, w.derived(kind, (t, stale) -> new float[1]));
            }
            assertSame(first, w.derived(kind, (t, stale) -> new float[1]));
        }
        try (var again = FrozenWeights.open()) {
            float[][] staleSeen = new float[1][];
            float[] second = w.derived(kind, (t, stale) -> { staleSeen[0] = stale; return new float[1]; });
            assertFalse(second == first, "a new scope must not reuse the old scope's value");
            assertNull(staleSeen[0], "another scope's value is never handed out for refilling");
        }
        assertEquals(null, FrozenWeights.current());
    }

    /** The layer's output computed on another thread, where no scope is open. */
    private float[] outsideScope() {
        float[][] out = new float[1][];
        Thread t = new Thread(() -> out[0] = linear());
        t.start();
        try {
            t.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return out[0];
    }
}
