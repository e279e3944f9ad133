package dev.feint.attack.blackbox;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SquareScheduleTest {
    @Test
    void pIsHalvedAtThePapersIterations() {
        double[] expect = {0.8, 0.8, 0.4, 0.4, 0.2, 0.1, 0.05, 0.025, 0.0125, 0.00625, 0.003125, 0.0015625};
        int[] at = {0, 10, 11, 50, 51, 201, 501, 1001, 2001, 4001, 6001, 8001};
        for (int i = 0; i < at.length; i++) assertEquals(expect[i], SquareSchedule.p(0.8, at[i], 10_000), 1e-12, "it " + at[i]);
        // Rescaled to the budget: iteration 50 of 1,000 is iteration 500 of 10,000.
        assertEquals(0.1, SquareSchedule.p(0.8, 50, 1000), 1e-12);
        assertEquals(0.05, SquareSchedule.p(0.8, 51, 1000), 1e-12);
    }

    @Test
    void squareSidesFollowP() {
        assertEquals(6, SquareSchedule.linfSide(0.05, 28, 28)); // sqrt(0.05 * 784) = 6.26
        assertEquals(27, SquareSchedule.linfSide(1.0, 28, 28)); // capped at h - 1
        assertEquals(1, SquareSchedule.linfSide(0.0001, 28, 28));
        assertEquals(9, SquareSchedule.l2Side(0.1, 28, 28)); // 8.85 -> 9, odd
        assertEquals(3, SquareSchedule.l2Side(0.0001, 28, 28));
        assertEquals(9, SquareSchedule.l2Side(0.08, 28, 28)); // round(7.92) = 8, made odd
        assertEquals(7, SquareSchedule.l2Side(0.06, 28, 28)); // round(6.86) = 7
        assertEquals(7, SquareSchedule.l2Side(1.0, 8, 8)); // at most the image, odd
    }

    @Test
    void etaIsAUnitPatternPositiveOnTopNegativeBelow() {
        for (int s : new int[] {1, 3, 5, 8}) {
            float[] e = SquareSchedule.eta(s);
            double n = 0;
            for (float v : e) n += v * v;
            assertEquals(1, n, 1e-5);
            for (int j = 0; j < s; j++) {
                assertTrue(e[(s - 1) * s + j] <= 0, "bottom row negative");
                if (s > 1) assertTrue(e[j] >= 0, "top row positive");
            }
        }
        // s = 3: one top row, two bottom rows; the centre of each half weighs most.
        float[] e = SquareSchedule.eta(3);
        assertTrue(e[1] > e[0] && Math.abs(e[1 * 3 + 1]) >= Math.abs(e[1 * 3 + 0]));
    }
}
