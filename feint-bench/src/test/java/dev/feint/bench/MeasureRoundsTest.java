package dev.feint.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The round design of {@link MeasureRounds#measureAll}, {@link MeasureRounds#measureTurns} and {@link MeasureRounds#steadyRounds}: alternating order, floors on calls and time. */
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

    /**
     * A fake clock: after each pause the body's calls take 2 ms for 20 ms (cold), then 0.2 ms.
     * The steady rate must be the warm one (5,000 calls/s: the 30 ms warm-up absorbs the cold
     * calls, none of which is timed), the first call's latency the cold 2 ms, and the engines alternate.
     */
    @Test
    void steadyRoundsTimeOnlyWarmCallsAndReportTheFirstCallApart() throws Exception {
        long[] now = {0}, coldUntil = {0};
        List<Integer> firsts = new ArrayList<>();
        int[] sinceLastPause = {0};
        MeasureRounds.Pause pause = () -> { now[0] += 200_000_000L; coldUntil[0] = now[0] + 20_000_000L; sinceLastPause[0] = 0; };
        SideBySide.Body a = () -> { if (sinceLastPause[0]++ == 0) firsts.add(0); now[0] += now[0] < coldUntil[0] ? 2_000_000L : 200_000L; };
        SideBySide.Body b = () -> { if (sinceLastPause[0]++ == 0) firsts.add(1); now[0] += now[0] < coldUntil[0] ? 2_000_000L : 200_000L; };
        MeasureRounds.Steady[] r = MeasureRounds.steadyRounds(4, 10, 30_000_000L, 100_000_000L, 1, () -> now[0], pause, a, b);
        assertEquals(List.of(0, 1, 1, 0, 0, 1, 1, 0), firsts);
        for (MeasureRounds.Steady s : r) {
            assertEquals(5000.0, s.rate().median(), 1e-6);
            for (double v : s.rate().rounds()) assertEquals(5000.0, v, 1e-6);
            assertEquals(2_000_000.0, s.firstCallMedianNanos(), 1e-6);
        }
    }

    @Test
    void aSteadyStretchHasAtLeastTheMinimumCalls() throws Exception {
        long[] now = {0};
        var calls = new AtomicInteger();
        MeasureRounds.Steady[] r = MeasureRounds.steadyRounds(1, 50, 0, 1_000L, 2, () -> now[0], () -> {}, () -> { calls.incrementAndGet(); now[0] += 1_000_000L; });
        assertEquals(51, calls.get()); // the first call, then 50 timed (the warm-up's time is already spent)
        assertEquals(2 * 1000.0, r[0].rate().median(), 1e-6);
    }
}
