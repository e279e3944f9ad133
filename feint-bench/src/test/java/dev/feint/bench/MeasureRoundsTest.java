package dev.feint.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The round design of {@link MeasureRounds#measureAll} and {@link MeasureRounds#measureTurns}: alternating order, floors on calls and time. */
class MeasureRoundsTest {
    @Test
    void everyBodyRunsFirstInAlternateRounds() {
        int[][] order = new int[4][2];
        for (int k = 0; k < 4; k++) for (int s = 0; s < 2; s++) order[k][s] = MeasureRounds.bodyAt(k, s, 2);
        assertArrayEquals(new int[][] {{0, 1}, {1, 0}, {0, 1}, {1, 0}}, order);
        assertArrayEquals(new int[] {2, 1, 0}, new int[] {MeasureRounds.bodyAt(1, 0, 3), MeasureRounds.bodyAt(1, 1, 3), MeasureRounds.bodyAt(1, 2, 3)});
    }

    @Test
    void aRoundWithoutATimeFloorIsExactlyTheMinimumCalls() throws Exception {
        var calls = new AtomicInteger();
        long[] r = MeasureRounds.timedRound(calls::incrementAndGet, 7, 0);
        assertEquals(7, r[0]);
        assertEquals(7, calls.get());
    }

    @Test
    void aRoundLastsAtLeastItsTimeFloorAndCountsEveryCall() throws Exception {
        var calls = new AtomicInteger();
        long[] r = MeasureRounds.timedRound(() -> { calls.incrementAndGet(); Thread.sleep(1); }, 3, 20_000_000L);
        assertTrue(r[1] >= 20_000_000L, "round of " + r[1] + " ns");
        assertTrue(r[0] >= 3);
        assertEquals(calls.get(), r[0]);
    }

    @Test
    void enginesTakeTurnsInAlternatingOrderUntilEachHasItsCalls() throws Exception {
        List<Integer> order = new ArrayList<>();
        var o = new SideBySide.Options(1, 1, 3, true, null, null, false);
        SideBySide.Rate[] r = MeasureRounds.measureTurns(o, 1, 0, 0, 1, () -> order.add(0), null, () -> order.add(2));
        // After the warm-up: one call per turn (no time floor), three turns, the order reversed each turn.
        assertEquals(List.of(0, 2, 2, 0, 0, 2), order.subList(order.size() - 6, order.size()));
        assertEquals(null, r[1]);
        assertTrue(r[0].median() > 0 && r[2].median() > 0);
    }
}
