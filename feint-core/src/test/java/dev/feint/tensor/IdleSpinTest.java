package dev.feint.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IdleSpinTest {
    private static final long US = 1_000, READ = 50 * US;   // a spin reads the clock every 30-150 us

    /** A spin from {@code start} with clock reads every {@link #READ}: when it is over (the first read that says so). */
    private static long spinEnd(IdleSpin s, long start) {
        for (long previous = start, now = start + READ; ; previous = now, now += READ)
            if (s.over(start, previous, now)) return now - start;
    }

    @Test
    void aSpinOnAVcpuOfItsOwnIsLong() {
        IdleSpin s = new IdleSpin();
        long d = spinEnd(s, 0);
        assertTrue(d > IdleSpin.LONG_NANOS && d <= IdleSpin.LONG_NANOS + READ, "over after " + d);
        assertTrue(spinEnd(s, 10 * IdleSpin.LONG_NANOS) > IdleSpin.LONG_NANOS, "and stays long");
        assertEquals(0, s.losses());
    }

    @Test
    void aSpinThatLostItsVcpuIsShortForAWhile() {
        IdleSpin s = new IdleSpin();
        long t = 1_000_000_000L;
        // 100 us into the spin, the next read comes 2 ms later: another thread had the vCPU.
        assertFalse(s.over(t, t, t + 100 * US));
        assertTrue(s.over(t, t + 100 * US, t + 100 * US + IdleSpin.LOST_CPU_NANOS + 1), "past the short spin already: park");
        assertEquals(1, s.losses());
        long next = t + 10_000_000;
        long d = spinEnd(s, next);
        assertTrue(d > IdleSpin.SHORT_NANOS && d <= IdleSpin.SHORT_NANOS + READ, "short while contended: " + d);
        long later = t + IdleSpin.SHORT_FOR_NANOS + 10_000_000;
        assertTrue(spinEnd(s, later) > IdleSpin.LONG_NANOS, "long again once the vCPU has been free for a while");
    }

    @Test
    void aReadJustUnderTheLossGapIsNoLoss() {
        IdleSpin s = new IdleSpin();
        assertFalse(s.over(0, 0, IdleSpin.LOST_CPU_NANOS));
        assertEquals(0, s.losses());
        assertTrue(spinEnd(s, IdleSpin.LOST_CPU_NANOS) > IdleSpin.LONG_NANOS);
    }
}
