package dev.feint.attack.blackbox;

import dev.feint.attack.internal.Checks;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Differential evolution (Storn and Price 1997), DE/rand/1 with binomial crossover, minimising
 * several independent problems of the same dimension in lockstep so that the candidates of one
 * generation, over all problems, are scored by ONE call of the {@link Objective} (one batched
 * model query for the one-pixel attack).
 *
 * <p>Per problem: a population of {@code population} vectors sampled by a {@link Sampler} and
 * clamped to [lo, hi]; each generation every member i gets a child
 * {@code x_r1 + F (x_r2 - x_r3)} (r1, r2, r3 distinct and different from i, clamped to the box),
 * crossed with its parent at rate CR, which replaces the parent when its fitness is no worse.
 * A problem stops early when a candidate is reported as solving it (that candidate is the
 * answer), after {@code generations} generations, or when its evaluation budget cannot pay for
 * another generation.
 *
 * <p>Defaults follow Su et al. (one-pixel attack): population 400, 100 generations, F = 0.5,
 * CR = 1 (no crossover). Problem p draws from {@code new SplittableRandom(seeds[p])} only, so
 * its result does not depend on which other problems run beside it.
 *
 * <pre>{@code
 * DifferentialEvolution de = DifferentialEvolution.builder().population(40).generations(200).build();
 * float[] lo = {-5, -5}, hi = {5, 5};
 * DifferentialEvolution.Result r = de.minimise(1, lo, hi, DifferentialEvolution.uniform(lo, hi), new long[] {7},
 *         Long.MAX_VALUE, (cand, owner, m, fit, solved) -> {
 *             for (int j = 0; j < m; j++) fit[j] = cand[2 * j] * cand[2 * j] + cand[2 * j + 1] * cand[2 * j + 1];
 *         });
 * }</pre>
 */
final class DifferentialEvolution {
    /** Scores m candidates (flat rows of dim values) belonging to problems {@code owner[j]}. */
    @FunctionalInterface
    public interface Objective {
        /** Writes fitness[j] (lower is better) and solved[j] (stop this problem with this candidate). */
        void evaluate(float[] candidates, int[] owner, int m, double[] fitness, boolean[] solved);
    }

    /** Draws the initial value of coordinate {@code dim}. */
    @FunctionalInterface
    public interface Sampler {
        float sample(int dim, SplittableRandom rng);
    }

    /** Per problem: the answer (flat [problems, dim]), its fitness, whether solved, generations run, evaluations. */
    public record Result(float[] best, double[] fitness, boolean[] solved, int[] generations, long[] evaluations) {}

    private final int population, generations;
    private final float f, cr;

    private DifferentialEvolution(int population, int generations, float f, float cr) {
        this.population = population;
        this.generations = generations;
        this.f = f;
        this.cr = cr;
    }

    public static Builder builder() { return new Builder(); }

    public int population() { return population; }

    public int generations() { return generations; }

    public float mutation() { return f; }

    public float crossover() { return cr; }

    /** Uniform initial values over the box. */
    public static Sampler uniform(float[] lo, float[] hi) {
        return (j, r) -> (float) (lo[j] + (hi[j] - lo[j]) * r.nextDouble());
    }

    /**
     * Minimises {@code problems} problems over the box [lo, hi] (dim = lo.length), each allowed
     * at most {@code maxEvaluations} candidate evaluations (at least one population).
     */
    public Result minimise(int problems, float[] lo, float[] hi, Sampler init, long[] seeds, long maxEvaluations, Objective fn) {
        int dim = lo.length, pop = population;
        if (hi.length != dim || seeds.length != problems) throw new IllegalArgumentException("box or seeds do not match");
        if (maxEvaluations < pop)
            throw new IllegalArgumentException("an evaluation budget of " + maxEvaluations + " cannot pay for a population of " + pop);
        int gens = (int) Math.min(generations, maxEvaluations / pop - 1);
        SplittableRandom[] rng = new SplittableRandom[problems];
        float[][] popv = new float[problems][pop * dim];
        double[][] fit = new double[problems][pop];
        Result res = new Result(new float[problems * dim], new double[problems], new boolean[problems], new int[problems],
                new long[problems]);
        boolean[] active = new boolean[problems];
        Arrays.fill(active, true);
        for (int p = 0; p < problems; p++) {
            rng[p] = new SplittableRandom(seeds[p]);
            for (int i = 0; i < pop * dim; i++) popv[p][i] = clamp(init.sample(i % dim, rng[p]), lo[i % dim], hi[i % dim]);
        }
        evaluate(popv, null, fit, active, res, problems, dim, fn);
        float[][] kids = new float[problems][pop * dim];
        for (int g = 1; g <= gens; g++) {
            boolean any = false;
            for (int p = 0; p < problems; p++) {
                if (!active[p]) continue;
                any = true;
                res.generations()[p] = g;
                breed(popv[p], kids[p], rng[p], lo, hi, dim);
            }
            if (!any) break;
            evaluate(kids, popv, fit, active, res, problems, dim, fn);
        }
        for (int p = 0; p < problems; p++) {
            if (res.solved()[p]) continue;
            int b = 0;
            for (int i = 1; i < pop; i++) if (fit[p][i] < fit[p][b]) b = i;
            res.fitness()[p] = fit[p][b];
            System.arraycopy(popv[p], b * dim, res.best(), p * dim, dim);
        }
        return res;
    }

    /** Children of one population: DE/rand/1 mutation, binomial crossover, clamped to the box. */
    private void breed(float[] x, float[] kid, SplittableRandom r, float[] lo, float[] hi, int dim) {
        int pop = population;
        for (int i = 0; i < pop; i++) {
            int r1, r2, r3;
            do r1 = r.nextInt(pop); while (r1 == i);
            do r2 = r.nextInt(pop); while (r2 == i || r2 == r1);
            do r3 = r.nextInt(pop); while (r3 == i || r3 == r1 || r3 == r2);
            int jr = r.nextInt(dim), o = i * dim;
            for (int j = 0; j < dim; j++) {
                boolean mutate = cr >= 1f || j == jr || r.nextDouble() < cr;
                float v = mutate ? x[r1 * dim + j] + f * (x[r2 * dim + j] - x[r3 * dim + j]) : x[o + j];
                kid[o + j] = clamp(v, lo[j], hi[j]);
            }
        }
    }

    /**
     * Scores the candidates of every active problem in one objective call. With parents == null
     * this is the initial population; otherwise children replace parents they do not lose to.
     */
    private void evaluate(float[][] cand, float[][] parents, double[][] fit, boolean[] active, Result res, int problems, int dim,
                          Objective fn) {
        int pop = population, m = 0;
        for (int p = 0; p < problems; p++) if (active[p]) m += pop;
        float[] flat = new float[m * dim];
        int[] owner = new int[m];
        int at = 0;
        for (int p = 0; p < problems; p++) {
            if (!active[p]) continue;
            System.arraycopy(cand[p], 0, flat, at * dim, pop * dim);
            Arrays.fill(owner, at, at + pop, p);
            at += pop;
        }
        double[] score = new double[m];
        boolean[] solved = new boolean[m];
        fn.evaluate(flat, owner, m, score, solved);
        at = 0;
        for (int p = 0; p < problems; p++) {
            if (!active[p]) continue;
            res.evaluations()[p] += pop;
            int win = -1;
            for (int i = 0; i < pop; i++) {
                double s = Double.isNaN(score[at + i]) ? Double.POSITIVE_INFINITY : score[at + i];
                if (solved[at + i] && (win < 0 || s < score[at + win])) win = i;
                if (parents == null || s <= fit[p][i]) {
                    fit[p][i] = s;
                    if (parents != null) System.arraycopy(cand[p], i * dim, parents[p], i * dim, dim);
                }
            }
            if (win >= 0) {
                active[p] = false;
                res.solved()[p] = true;
                res.fitness()[p] = score[at + win];
                System.arraycopy(flat, (at + win) * dim, res.best(), p * dim, dim);
            }
            at += pop;
        }
    }

    private static float clamp(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

    /** Population >= 4 (DE/rand/1 needs three others), generations >= 0, F in (0, 2], CR in [0, 1]. */
    public static final class Builder {
        private int population = 400, generations = 100;
        private float f = 0.5f, cr = 1f;

        public Builder population(int v) { population = v; return this; }
        public Builder generations(int v) { generations = v; return this; }
        public Builder mutation(float v) { f = v; return this; }
        public Builder crossover(float v) { cr = v; return this; }

        public DifferentialEvolution build() {
            Checks.atLeast("differential evolution", "population", population, 4);
            Checks.atLeast("differential evolution", "generations", generations, 0);
            if (!(f > 0 && f <= 2)) throw new dev.feint.FeintException("differential evolution: F must be in (0, 2], got " + f);
            if (!(cr >= 0 && cr <= 1)) throw new dev.feint.FeintException("differential evolution: CR must be in [0, 1], got " + cr);
            return new DifferentialEvolution(population, generations, f, cr);
        }
    }
}
