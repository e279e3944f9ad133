package dev.feint.attack.blackbox;

import dev.feint.FeintException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DifferentialEvolutionTest {
    static final float[] OPT = {1f, 2f, -1f, 0.5f, 3f};

    /** Shifted sphere: minimum 0 at OPT. */
    static final DifferentialEvolution.Objective SPHERE = (c, owner, m, fit, solved) -> {
        for (int j = 0; j < m; j++) {
            double s = 0;
            for (int q = 0; q < OPT.length; q++) s += Math.pow(c[j * OPT.length + q] - OPT[q], 2);
            fit[j] = s;
        }
    };

    static float[] box(float v) {
        float[] a = new float[OPT.length];
        Arrays.fill(a, v);
        return a;
    }

    @Test
    void minimisesAShiftedSphere() {
        DifferentialEvolution de = DifferentialEvolution.builder().population(40).generations(300).crossover(0.9f).build();
        var r = de.minimise(1, box(-5), box(5), DifferentialEvolution.uniform(box(-5), box(5)), new long[] {7}, Long.MAX_VALUE, SPHERE);
        assertTrue(r.fitness()[0] < 1e-6, "fitness " + r.fitness()[0]);
        for (int q = 0; q < OPT.length; q++) assertEquals(OPT[q], r.best()[q], 1e-3);
        assertEquals(300, r.generations()[0]);
        assertEquals(40L * 301, r.evaluations()[0]);
    }

    @Test
    void findsRastriginsGlobalMinimumWithThePapersSettings() {
        // Many local minima (at integer points); population 400 with F = 0.5 and no crossover, as Su et al.
        DifferentialEvolution de = DifferentialEvolution.builder().build();
        float[] lo = {-5.12f, -5.12f}, hi = {5.12f, 5.12f};
        var r = de.minimise(1, lo, hi, DifferentialEvolution.uniform(lo, hi), new long[] {3}, Long.MAX_VALUE, (c, o, m, fit, s) -> {
            for (int j = 0; j < m; j++) {
                double v = 20;
                for (int q = 0; q < 2; q++) v += c[2 * j + q] * c[2 * j + q] - 10 * Math.cos(2 * Math.PI * c[2 * j + q]);
                fit[j] = v;
            }
        });
        assertTrue(r.fitness()[0] < 1e-3, "fitness " + r.fitness()[0]);
    }

    @Test
    void sameSeedSameBitsAndProblemsDoNotInfluenceEachOther() {
        DifferentialEvolution de = DifferentialEvolution.builder().population(20).generations(15).build();
        var init = DifferentialEvolution.uniform(box(-5), box(5));
        var a = de.minimise(1, box(-5), box(5), init, new long[] {11}, Long.MAX_VALUE, SPHERE);
        var b = de.minimise(1, box(-5), box(5), init, new long[] {11}, Long.MAX_VALUE, SPHERE);
        var c = de.minimise(1, box(-5), box(5), init, new long[] {12}, Long.MAX_VALUE, SPHERE);
        assertArrayEquals(a.best(), b.best());
        assertFalse(Arrays.equals(a.best(), c.best()));
        // Run in lockstep with another problem: problem 1 gives exactly what it gave alone.
        var both = de.minimise(2, box(-5), box(5), init, new long[] {12, 11}, Long.MAX_VALUE, SPHERE);
        assertArrayEquals(a.best(), Arrays.copyOfRange(both.best(), 5, 10));
        assertArrayEquals(c.best(), Arrays.copyOfRange(both.best(), 0, 5));
    }

    @Test
    void oneObjectiveCallPerGenerationEarlyStopAndBudget() {
        DifferentialEvolution de = DifferentialEvolution.builder().population(30).generations(50).build();
        List<Integer> calls = new ArrayList<>();
        // Problem 0 is "solved" by any candidate within 0.5 of OPT; problem 1 never is.
        var r = de.minimise(2, box(-5), box(5), DifferentialEvolution.uniform(box(-5), box(5)), new long[] {1, 2}, 30L * 21,
                (c, owner, m, fit, solved) -> {
                    calls.add(m);
                    SPHERE.evaluate(c, owner, m, fit, solved);
                    for (int j = 0; j < m; j++) solved[j] = owner[j] == 0 && fit[j] < 0.25;
                });
        assertTrue(r.solved()[0] && !r.solved()[1]);
        int g0 = r.generations()[0];
        assertTrue(g0 > 0 && g0 < 20, "problem 0 stopped at generation " + g0);
        assertTrue(r.fitness()[0] < 0.25);
        assertEquals(20, r.generations()[1]); // the budget of 21 populations pays for the start and 20 generations
        assertEquals(30L * 21, r.evaluations()[1]);
        assertEquals(30L * (g0 + 1), r.evaluations()[0]);
        assertEquals(21, calls.size()); // one call per generation, both problems together while both run
        for (int g = 0; g < calls.size(); g++) assertEquals(g <= g0 ? 60 : 30, calls.get(g));
    }

    @Test
    void candidatesStayInTheBox() {
        DifferentialEvolution de = DifferentialEvolution.builder().population(10).generations(20).mutation(2f).build();
        float[] lo = {0, -1}, hi = {1, 0};
        de.minimise(1, lo, hi, (j, r) -> 10f, new long[] {5}, Long.MAX_VALUE, (c, o, m, fit, s) -> {
            for (int j = 0; j < m; j++) {
                assertTrue(c[2 * j] >= 0 && c[2 * j] <= 1 && c[2 * j + 1] >= -1 && c[2 * j + 1] <= 0);
                fit[j] = -c[2 * j];
            }
        });
    }

    @Test
    void badSettingsAreRejected() {
        assertEquals("differential evolution: parameter population = 3, expected a whole number >= 4",
                assertThrows(FeintException.class, () -> DifferentialEvolution.builder().population(3).build()).getMessage());
        assertEquals("differential evolution: F must be in (0, 2], got 0.0",
                assertThrows(FeintException.class, () -> DifferentialEvolution.builder().mutation(0f).build()).getMessage());
    }
}
