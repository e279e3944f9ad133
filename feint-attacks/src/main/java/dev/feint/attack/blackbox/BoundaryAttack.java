package dev.feint.attack.blackbox;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Criterion;
import dev.feint.attack.internal.DecisionMargin;
import dev.feint.attack.Norm;
import dev.feint.model.Bounds;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Boundary attack: Brendel, Rauber and Bethge, "Decision-Based Adversarial Attacks: Reliable
 * Attacks Against Black-Box Machine Learning Models", ICLR 2018, arXiv:1712.04248.
 * Decision-based, L2, minimum-norm by default or fixed-eps when eps is given.
 *
 * <p>From an adversarial start (as {@link HopSkipJump}'s), each step draws a Gaussian direction,
 * makes it orthogonal to the line to x with length spherical * ||x_adv - x||, projects the
 * point back onto the sphere around x (the "spherical" candidate), then moves it toward x by
 * source * ||x_adv - x|| (the candidate). Both are queried (2 queries per step, batched over
 * examples); the candidate replaces x_adv when it is adversarial and closer. Every 10 steps,
 * with 100 recorded outcomes, the step sizes adapt by 1.5 so that about 20-50% of spherical
 * candidates and of candidates succeed (the paper's and Foolbox's rule).
 *
 * <p>Parameters (defaults): eps (none: minimum-norm), steps (5,000), spherical step (0.01),
 * source step (0.01), queries per example (10,000, the clean check included), batch (512), seed (0),
 * margin ({@link DecisionMargin#DEFAULT}: a candidate counts as adversarial only when the wrong
 * class wins by this relative logit margin).
 *
 * <pre>{@code
 * BoundaryAttack a = BoundaryAttack.builder().queries(5000).seed(1).build();
 * AttackResult r = a.run(model, images, new Misclassification(labels));
 * }</pre>
 */
public final class BoundaryAttack extends BlackBoxAttack {
    private static final String NAME = "boundary";
    private static final int WINDOW = 100, EVERY = 10;
    private final int steps;
    private final float spherical0, source0, margin;

    private BoundaryAttack(float eps, int steps, float spherical, float source, int queries, int batch, long seed, float margin) {
        super(NAME, Norm.L2, eps, queries, batch, seed);
        this.margin = margin;
        this.steps = steps;
        this.spherical0 = spherical;
        this.source0 = source;
    }

    /** The registry entry: eps (none: minimum-norm), steps (5000), queries (10,000), batch, margin (0.001), seed. */
    public static final AttackEntry ENTRY = AttackEntry.blackBox(NAME, AttackEntry.Eps.OPTIONAL, "decision-based random walk along the boundary",
            List.of(AttackParam.eps("none (minimum-norm)", "makes it fixed-eps"), AttackParam.whole("steps", "5000", "steps"),
                    BlackBoxBuilder.queriesParam("10000"), BlackBoxBuilder.batchParam(), AttackParam.margin(), AttackParam.seed()), a -> {
                Builder b = builder();
                a.eps(Norm.L2, b::eps);
                a.whole("steps", b::steps);
                b.readShared(a);
                return b.build();
            });

    /** {@return a builder with every default (no value is required)} */
    public static Builder builder() { return new Builder(); }

    @Override public BoundaryAttack withEps(float e) {
        return new BoundaryAttack(Checks.positive(NAME, "eps", e), steps, spherical0, source0, queries, batch, seed, margin);
    }

    @Override float decisionMargin() { return margin; }

    @Override void search(Oracle o, float[] x0, float[] adv, Criterion crit, float[] clean, boolean[] done) {
        int n = o.n, d = o.d;
        Bounds b = o.bounds();
        SplittableRandom[] rng = new SplittableRandom[n];
        for (int i = 0; i < n; i++) rng[i] = rng(o, i);
        float[] cur = new float[n * d];
        boolean[] has = Decisions.start(o, crit, x0, clean, done, 100, rng, cur);
        double[] sph = new double[n], src = new double[n];
        java.util.Arrays.fill(sph, spherical0);
        java.util.Arrays.fill(src, source0);
        int[][] sphHits = new int[n][WINDOW], srcHits = new int[n][WINDOW];
        int[] sphCount = new int[n], srcCount = new int[n];
        for (int step = 1; step <= steps; step++) {
            int[] act = Decisions.rows(n, i -> has[i] && o.remaining(i) >= 2 && !(Norm.L2.measure(cur, x0, i * d, d) <= eps));
            if (act.length == 0) break;
            int m = act.length;
            float[] both = new float[2 * m * d];
            int[] owner = new int[2 * m];
            for (int j = 0; j < m; j++) {
                owner[j] = owner[m + j] = act[j];
                propose(x0, cur, act[j], d, sph[act[j]], src[act[j]], rng[act[j]], b, both, j * d, (m + j) * d);
            }
            boolean[] dec = Decisions.decide(o, crit, both, owner);
            for (int j = 0; j < m; j++) {
                int i = act[j];
                boolean sOk = dec[j], cOk = dec[m + j];
                if (cOk && l2(both, (m + j) * d, x0, i * d, d) < l2(cur, i * d, x0, i * d, d))
                    System.arraycopy(both, (m + j) * d, cur, i * d, d);
                sphHits[i][sphCount[i]++ % WINDOW] = sOk ? 1 : 0;
                if (sOk) srcHits[i][srcCount[i]++ % WINDOW] = cOk ? 1 : 0;
                if (step % EVERY != 0) continue;
                // Step-size adaptation: too many successes means the steps can grow, too few that they must shrink.
                if (sphCount[i] >= WINDOW) {
                    double p = mean(sphHits[i]);
                    double f = p > 0.5 ? 1.5 : p < 0.2 ? 1 / 1.5 : 1;
                    sph[i] *= f;
                    src[i] *= f;
                    if (f != 1) sphCount[i] = 0;
                }
                if (srcCount[i] >= WINDOW) {
                    double p = mean(srcHits[i]);
                    double f = p > 0.5 ? 1.5 : p < 0.2 ? 1 / 1.5 : 1;
                    src[i] *= f;
                    if (f != 1) srcCount[i] = 0;
                }
            }
        }
        for (int i = 0; i < n; i++) if (has[i]) System.arraycopy(cur, i * d, adv, i * d, d);
    }

    /** Writes the spherical candidate at out[so..] and the candidate at out[co..] for example i. */
    private static void propose(float[] x0, float[] cur, int i, int d, double sph, double src, SplittableRandom r, Bounds b,
                                float[] out, int so, int co) {
        int off = i * d;
        double[] u = new double[d], eta = new double[d];
        double norm2 = 0, dot = 0;
        for (int q = 0; q < d; q++) {
            u[q] = (double) x0[off + q] - cur[off + q];
            norm2 += u[q] * u[q];
        }
        double dist = Math.sqrt(norm2);
        for (int q = 0; q < d; q++) {
            eta[q] = gaussian(r);
            dot += eta[q] * u[q] / dist;
        }
        double en = 0;
        for (int q = 0; q < d; q++) {
            eta[q] -= dot * u[q] / dist;
            en += eta[q] * eta[q];
        }
        double scale = sph * dist / Math.max(Math.sqrt(en), 1e-30), dd = 1 / Math.sqrt(sph * sph + 1);
        double nsn = 0;
        for (int q = 0; q < d; q++) {
            // x + D (eta - u): on the sphere of radius dist around x (before clipping).
            float v = b.clamp((float) (x0[off + q] + dd * (eta[q] * scale - u[q])));
            out[so + q] = v;
            double w = (double) x0[off + q] - v;
            nsn += w * w;
        }
        nsn = Math.sqrt(nsn);
        double len = Math.max(src * dist + nsn - dist, 0) / Math.max(nsn, 1e-30);
        for (int q = 0; q < d; q++) out[co + q] = b.clamp((float) (out[so + q] + len * ((double) x0[off + q] - out[so + q])));
    }

    private static double l2(float[] a, int ao, float[] b, int bo, int d) {
        double s = 0;
        for (int q = 0; q < d; q++) {
            double v = (double) a[ao + q] - b[bo + q];
            s += v * v;
        }
        return Math.sqrt(s);
    }

    private static double mean(int[] a) {
        double s = 0;
        for (int v : a) s += v;
        return s / a.length;
    }

    @Override void describeSearch(Map<String, Object> p) {
        p.put("steps", (long) steps);
        p.put("sphericalStep", (double) spherical0);
        p.put("sourceStep", (double) source0);
        p.put("margin", (double) margin);
    }

    /**
     * Builds a {@link BoundaryAttack}; {@link #build()} checks every value and names the one it refuses.
     * Queries: &gt;= 1, default 10,000.
     */
    public static final class Builder extends DecisionBuilder<Builder> {
        private Float eps;
        private int steps = 5000;
        private float spherical = 0.01f, source = 0.01f;

        private Builder() {}

        /**
         * Makes the attack fixed-eps (L2): an example stops once within eps.
         *
         * @param v the L2 radius, &gt; 0 (default none: minimum-norm)
         * @return this builder
         */
        public Builder eps(float v) { eps = v; return this; }
        /**
         * Sets the most steps.
         *
         * @param v steps, &gt;= 1 (default 5,000)
         * @return this builder
         */
        public Builder steps(int v) { steps = v; return this; }
        /**
         * Sets the spherical step, relative to the current distance to x.
         *
         * @param v the step, &gt; 0 (default 0.01)
         * @return this builder
         */
        public Builder sphericalStep(float v) { spherical = v; return this; }
        /**
         * Sets the step toward x, relative to the current distance to x.
         *
         * @param v the step, &gt; 0 (default 0.01)
         * @return this builder
         */
        public Builder sourceStep(float v) { source = v; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range
         */
        public BoundaryAttack build() {
            float e = eps == null ? Float.NaN : Checks.positive(NAME, "eps", eps);
            Checks.atLeast(NAME, "steps", steps, 1);
            Checks.positive(NAME, "spherical-step", spherical);
            Checks.positive(NAME, "source-step", source);
            int queries = Checks.atLeast(NAME, "queries", queriesOr(10_000), 1);
            Checks.atLeast(NAME, "batch", batch, 1);
            return new BoundaryAttack(e, steps, spherical, source, queries, batch, seed, DecisionMargin.check(NAME, margin));
        }
    }
}
