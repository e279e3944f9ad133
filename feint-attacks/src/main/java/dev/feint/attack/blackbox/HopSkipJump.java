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
import java.util.stream.IntStream;

/**
 * HopSkipJumpAttack: Chen, Jordan and Wainwright, "HopSkipJumpAttack: A Query-Efficient
 * Decision-Based Attack", IEEE S&amp;P 2020, arXiv:1904.02144. Decision-based: it reads only
 * whether the predicted label meets the criterion. L2 or Linf; minimum-norm by default, or
 * fixed-eps when eps is given (an example then stops once within eps).
 *
 * <p>Start: uniform noise in the bounds until one meets the criterion (up to {@code initTries}
 * draws; then, as a fallback, another input of the batch whose clean prediction meets it), then
 * a blended binary search toward x. Each iteration t: binary search to the boundary (threshold
 * theta = gamma / d^1.5 for L2, gamma / d^2 for Linf), Monte-Carlo estimate of the boundary's
 * normal from min(initEvals * sqrt(t), maxEvals) random probes at radius delta (0.1 * range at
 * t = 1, then sqrt(d) theta dist for L2, d theta dist for Linf) with the mean-decision baseline,
 * then a geometric step search from dist / sqrt(t) along the estimate (its sign for Linf),
 * halving until the point is adversarial again. The current point is always adversarial, so
 * running out of budget at any moment leaves a valid answer. Probes of one example are batched;
 * binary and step searches move all examples in lockstep, one batched query per round.
 *
 * <p>Parameters (defaults): norm (l2), eps (none: minimum-norm), iterations (40), initEvals
 * (100), maxEvals (10,000), gamma (1.0), initTries (100), queries per example (10,000, the clean
 * check included; an example stops when fewer than 40 remain for a step), batch (512), seed (0),
 * margin ({@link DecisionMargin#DEFAULT}: a decision counts as adversarial only when the wrong class
 * wins by this relative logit margin, so the point found off the boundary survives another engine).
 *
 * <pre>{@code
 * HopSkipJump a = HopSkipJump.builder().norm(Norm.L2).queries(5000).seed(1).build();
 * AttackResult r = a.run(model, images, new Misclassification(labels)); // r.l2(): distances found
 * }</pre>
 */
public final class HopSkipJump extends BlackBoxAttack {
    private static final String NAME = "hsja";
    private static final int RESERVE = 40; // queries kept for one step search and binary search
    private final int iterations, initEvals, maxEvals, initTries;
    private final double gamma;
    private final float margin;

    private HopSkipJump(Norm norm, float eps, int iterations, int initEvals, int maxEvals, double gamma, int initTries, int queries,
                        int batch, long seed, float margin) {
        super(NAME, norm, eps, queries, batch, seed);
        this.margin = margin;
        this.iterations = iterations;
        this.initEvals = initEvals;
        this.maxEvals = maxEvals;
        this.gamma = gamma;
        this.initTries = initTries;
    }

    /** The registry entry: norm (l2), eps (none: minimum-norm), steps (40 iterations), queries (10,000), batch, margin (0.001), seed. */
    public static final AttackEntry ENTRY = AttackEntry.blackBox(NAME, AttackEntry.Eps.OPTIONAL,
            "decision-based boundary walk with gradient estimates",
            List.of(AttackParam.norm("l2", "l2 or linf"), AttackParam.eps("none (minimum-norm)", "makes it fixed-eps"),
                    AttackParam.whole("steps", "40", "iterations"),
                    BlackBoxBuilder.queriesParam("10000"), BlackBoxBuilder.batchParam(), AttackParam.margin(), AttackParam.seed()), a -> {
                Builder b = builder();
                a.norm(b::norm);
                a.eps(Norm.L2, b::eps);
                a.whole("steps", b::iterations);
                b.readShared(a);
                return b.build();
            });

    /** {@return a builder with every default (no value is required)} */
    public static Builder builder() { return new Builder(); }

    @Override public HopSkipJump withEps(float e) {
        return new HopSkipJump(norm, Checks.positive(NAME, "eps", e), iterations, initEvals, maxEvals, gamma, initTries, queries, batch, seed, margin);
    }

    @Override float decisionMargin() { return margin; }

    @Override void search(Oracle o, float[] x0, float[] adv, Criterion crit, float[] clean, boolean[] done) {
        int n = o.n, d = o.d;
        Bounds b = o.bounds();
        SplittableRandom[] rng = new SplittableRandom[n];
        for (int i = 0; i < n; i++) rng[i] = rng(o, i);
        float[] cur = new float[n * d];
        boolean[] stop = done.clone(), has = Decisions.start(o, crit, x0, clean, done, initTries, rng, cur);
        for (int i = 0; i < n; i++) if (!has[i]) stop[i] = true;
        double[] dist = new double[n];
        double theta = norm == Norm.L2 ? gamma / Math.pow(d, 1.5) : gamma / ((double) d * d);
        boundary(o, crit, x0, cur, Decisions.rows(n, i -> !stop[i]), theta, b);
        for (int i = 0; i < n; i++) if (!stop[i]) dist[i] = norm.measure(cur, x0, i * d, d);
        float[] grad = new float[d];
        for (int t = 1; t <= iterations; t++) {
            for (int i = 0; i < n; i++) if (!stop[i] && (dist[i] <= eps || o.remaining(i) < RESERVE + 10)) stop[i] = true;
            int[] act = Decisions.rows(n, i -> !stop[i]);
            if (act.length == 0) break;
            float[] step = new float[act.length * d];
            for (int j = 0; j < act.length; j++) {
                int i = act[j];
                double delta = t == 1 ? 0.1 * b.range() : (norm == Norm.L2 ? Math.sqrt(d) : d) * theta * dist[i];
                int evals = (int) Math.min(Math.min(initEvals * Math.sqrt(t), maxEvals), o.remaining(i) - RESERVE);
                estimate(o, crit, cur, i, evals, (float) delta, rng[i], grad, b);
                for (int q = 0; q < d; q++) step[j * d + q] = norm == Norm.L2 ? grad[q] : Math.signum(grad[q]);
            }
            stepSearch(o, crit, cur, act, step, dist, t, b);
            boundary(o, crit, x0, cur, act, theta, b);
            for (int i : act) dist[i] = norm.measure(cur, x0, i * d, d);
        }
        for (int i = 0; i < n; i++) if (has[i]) System.arraycopy(cur, i * d, adv, i * d, d);
    }

    /** Unit-L2 estimate of the direction in which the criterion holds, from {@code evals} probes around cur_i. */
    private void estimate(Oracle o, Criterion crit, float[] cur, int i, int evals, float delta, SplittableRandom r, float[] grad, Bounds b) {
        int d = o.d;
        double[] sumFr = new double[d], sumR = new double[d];
        double sumF = 0;
        for (int from = 0; from < evals; from += batch) {
            int m = Math.min(batch, evals - from);
            float[] rv = new float[m * d], imgs = new float[m * d];
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int q = 0; q < d; q++) {
                    float v = (float) (norm == Norm.L2 ? gaussian(r) : 2 * r.nextDouble() - 1);
                    rv[j * d + q] = v;
                    s += (double) v * v;
                }
                float f = (float) (1 / Math.max(Math.sqrt(s), 1e-12));
                for (int q = 0; q < d; q++) {
                    float c = cur[i * d + q], p = b.clamp(c + delta * rv[j * d + q] * f);
                    imgs[j * d + q] = p;
                    rv[j * d + q] = (p - c) / delta; // the probe actually taken, after clipping
                }
            }
            int[] owner = new int[m];
            java.util.Arrays.fill(owner, i);
            boolean[] dec = Decisions.decide(o, crit, imgs, owner);
            for (int j = 0; j < m; j++) {
                double f = dec[j] ? 1 : -1;
                sumF += f;
                for (int q = 0; q < d; q++) {
                    sumFr[q] += f * rv[j * d + q];
                    sumR[q] += rv[j * d + q];
                }
            }
        }
        double mean = sumF / evals, s = 0;
        for (int q = 0; q < d; q++) {
            // Baseline: subtract the mean decision unless every probe agreed (then it would cancel everything).
            double g = Math.abs(mean) == 1 ? sumFr[q] / evals : sumFr[q] / evals - mean * sumR[q] / evals;
            grad[q] = (float) g;
            s += g * g;
        }
        float f = (float) (1 / Math.max(Math.sqrt(s), 1e-30));
        for (int q = 0; q < d; q++) grad[q] *= f;
    }

    /** Geometric step search: from dist / sqrt(t), halve until cur + eta * step meets the criterion. */
    private void stepSearch(Oracle o, Criterion crit, float[] cur, int[] act, float[] step, double[] dist, int t, Bounds b) {
        int d = o.d;
        double[] eta = new double[act.length];
        boolean[] searching = new boolean[act.length];
        for (int j = 0; j < act.length; j++) {
            eta[j] = dist[act[j]] / Math.sqrt(t);
            searching[j] = true;
        }
        for (int round = 0; round < 30; round++) {
            final int[] idx = IntStream.range(0, act.length).filter(j -> searching[j] && o.remaining(act[j]) >= 1).toArray();
            if (idx.length == 0) return;
            float[] imgs = new float[idx.length * d];
            int[] owner = new int[idx.length];
            for (int a = 0; a < idx.length; a++) {
                int j = idx[a], i = act[j];
                owner[a] = i;
                for (int q = 0; q < d; q++) imgs[a * d + q] = b.clamp((float) (cur[i * d + q] + eta[j] * step[j * d + q]));
            }
            boolean[] dec = Decisions.decide(o, crit, imgs, owner);
            for (int a = 0; a < idx.length; a++) {
                int j = idx[a];
                if (dec[a]) {
                    System.arraycopy(imgs, a * d, cur, act[j] * d, d);
                    searching[j] = false;
                } else eta[j] /= 2;
            }
        }
    }

    /** Binary search between x and cur to the boundary: blends for L2, a shrinking Linf box for Linf. */
    private void boundary(Oracle o, Criterion crit, float[] x0, float[] cur, int[] act, double theta, Bounds b) {
        double[] thr = new double[o.n];
        for (int i : act) {
            double dl = norm.measure(cur, x0, i * o.d, o.d);
            thr[i] = norm == Norm.L2 ? theta : Math.min(dl * theta, theta * b.range());
        }
        Decisions.bisect(o, crit, x0, cur, act, thr, norm == Norm.L2);
    }

    @Override void describeSearch(Map<String, Object> p) {
        p.put("iterations", (long) iterations);
        p.put("initEvals", (long) initEvals);
        p.put("maxEvals", (long) maxEvals);
        p.put("gamma", gamma);
        p.put("margin", (double) margin);
    }

    /**
     * Builds a {@link HopSkipJump}; {@link #build()} checks every value and names the one it refuses.
     * Queries: &gt;= 1, default 10,000.
     */
    public static final class Builder extends DecisionBuilder<Builder> {
        private Norm norm = Norm.L2;
        private Float eps;
        private int iterations = 40, initEvals = 100, maxEvals = 10_000, initTries = 100;
        private double gamma = 1.0;

        private Builder() {}

        /**
         * Sets the norm.
         *
         * @param v l2 or linf (default l2)
         * @return this builder
         */
        public Builder norm(Norm v) { norm = v; return this; }
        /**
         * Makes the attack fixed-eps: an example stops once within eps.
         *
         * @param v the radius, &gt; 0 (default none: minimum-norm)
         * @return this builder
         */
        public Builder eps(float v) { eps = v; return this; }
        /**
         * Sets the most iterations.
         *
         * @param v iterations, &gt;= 1 (default 40)
         * @return this builder
         */
        public Builder iterations(int v) { iterations = v; return this; }
        /**
         * Sets the probes of the first gradient estimate (then grown by sqrt(t)).
         *
         * @param v probes, &gt;= 1 (default 100)
         * @return this builder
         */
        public Builder initEvals(int v) { initEvals = v; return this; }
        /**
         * Sets the most probes of one gradient estimate.
         *
         * @param v probes, &gt;= initEvals (default 10,000)
         * @return this builder
         */
        public Builder maxEvals(int v) { maxEvals = v; return this; }
        /**
         * Sets gamma, which sets the binary search's threshold.
         *
         * @param v gamma, &gt; 0 (default 1.0)
         * @return this builder
         */
        public Builder gamma(double v) { gamma = v; return this; }
        /**
         * Sets the random draws tried for an adversarial start.
         *
         * @param v draws, &gt;= 0 (default 100)
         * @return this builder
         */
        public Builder initTries(int v) { initTries = v; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range
         */
        public HopSkipJump build() {
            Norm nm = Checks.norm(NAME, norm, Norm.L2, Norm.LINF);
            float e = eps == null ? Float.NaN : Checks.positive(NAME, "eps", eps);
            Checks.atLeast(NAME, "steps", iterations, 1); // the registry (and CLI) call the iterations steps
            Checks.atLeast(NAME, "init-evals", initEvals, 1);
            Checks.atLeast(NAME, "max-evals", maxEvals, initEvals);
            Checks.atLeast(NAME, "init-tries", initTries, 0);
            Checks.positive(NAME, "gamma", (float) gamma);
            int queries = Checks.atLeast(NAME, "queries", queriesOr(10_000), 1);
            Checks.atLeast(NAME, "batch", batch, 1);
            return new HopSkipJump(nm, e, iterations, initEvals, maxEvals, gamma, initTries, queries, batch, seed,
                    DecisionMargin.check(NAME, margin));
        }
    }
}
