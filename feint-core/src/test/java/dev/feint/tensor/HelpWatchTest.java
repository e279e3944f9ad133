package dev.feint.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HelpWatchTest {
    private static final long MS = 1_000_000;

    /** One window of split tasks of 2 chunks each, the workers running {@code helped} chunks of each. */
    private static void window(HelpWatch w, int helped, long now) {
        for (int i = 0; i < HelpWatch.WINDOW; i++) w.record(2, 2 - helped, now);
    }

    @Test
    void splitsWhileTheWorkersHelp() {
        HelpWatch w = new HelpWatch();
        for (int k = 0; k < 5; k++) {
            window(w, 1, k * MS);
            assertFalse(w.alone(k * MS), "window " + k);
        }
    }

    @Test
    void runsAloneForAPauseWhenTheWorkersRanAlmostNothing() {
        HelpWatch w = new HelpWatch();
        // Helped 3 of 64 chunks: under an eighth.
        for (int i = 0; i < HelpWatch.WINDOW; i++) w.record(2, i < 3 ? 1 : 2, 0);
        assertTrue(w.alone(0));
        assertTrue(w.alone(HelpWatch.MIN_PAUSE_NANOS - 1));
        assertFalse(w.alone(HelpWatch.MIN_PAUSE_NANOS));
        assertFalse(w.alone(HelpWatch.MIN_PAUSE_NANOS + 1), "the pause is over until the next failed window");
    }

    @Test
    void anEighthOfTheChunksIsEnough() {
        HelpWatch w = new HelpWatch();
        for (int i = 0; i < HelpWatch.WINDOW; i++) w.record(2, i < 8 ? 1 : 2, 0);      // 8 of 64
        assertFalse(w.alone(0));
        for (int i = 0; i < HelpWatch.WINDOW; i++) w.record(2, i < 7 ? 1 : 2, 0);      // 7 of 64
        assertTrue(w.alone(0));
    }

    @Test
    void thePauseDoublesWhileWindowsFailAndResetsAfterAGoodOne() {
        HelpWatch w = new HelpWatch();
        long now = 0, pause = HelpWatch.MIN_PAUSE_NANOS;
        for (int k = 0; k < 8; k++) {
            window(w, 0, now);
            assertTrue(w.alone(now + pause - 1), "failure " + k + ": alone for " + pause);
            assertFalse(w.alone(now + pause), "failure " + k + ": splits again after " + pause);
            now += pause;
            pause = Math.min(HelpWatch.MAX_PAUSE_NANOS, pause * 2);
        }
        window(w, 1, now);
        assertFalse(w.alone(now));
        window(w, 0, now);
        assertTrue(w.alone(now + HelpWatch.MIN_PAUSE_NANOS - 1));
        assertFalse(w.alone(now + HelpWatch.MIN_PAUSE_NANOS), "back to the shortest pause");
    }

    @Test
    void theWorkersWakingAfterAnIdleGapIsNotCounted() {
        HelpWatch w = new HelpWatch();
        long t = 100 * MS;   // long after the last task (none yet): the workers have parked
        w.publishing(t);
        window(w, 0, t + HelpWatch.WAKE_GRACE_NANOS - 1);
        assertFalse(w.alone(t + HelpWatch.WAKE_GRACE_NANOS - 1), "no help while waking is no evidence");
        window(w, 0, t + HelpWatch.WAKE_GRACE_NANOS);
        assertTrue(w.alone(t + HelpWatch.WAKE_GRACE_NANOS), "no help after the grace is");
    }

    @Test
    void backToBackTasksGetNoGrace() {
        HelpWatch w = new HelpWatch();
        long t = 100 * MS;
        w.record(2, 1, t);
        long now = t;
        for (int i = 0; i < HelpWatch.WINDOW; i++) {
            now += Parallel.SPIN_NANOS / 2;   // gaps shorter than a worker's spin
            w.publishing(now);
            w.record(2, 2, now);
        }
        assertTrue(w.alone(now), "a window without help still pauses");
    }
}
