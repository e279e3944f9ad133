package dev.feint.attack.blackbox;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Criterion;
import dev.feint.attack.Norm;
import dev.feint.model.Bounds;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Square Attack: Andriushchenko, Croce, Flammarion and Hein, "Square Attack: a query-efficient
 * black-box adversarial attack via random search", ECCV 2020, arXiv:1912.00049. Score-based,
 * fixed eps, Linf or L2.
 *
 * <p>Random search on the logit margin (z_label - max other, or max other - z_target when
 * targeted; minimised, success below 0): each iteration changes one random square window of
 * side about sqrt(p * h * w), where p follows the paper's schedule ({@link SquareSchedule}: p_init
 * halved at 10, 50, 200, ..., 8000 of 10,000 iterations, rescaled to the budget). Linf starts
 * from vertical stripes of +-eps and sets the window, per channel, to x +- eps; L2 starts from a
 * grid of pseudo-Gaussian patterns and moves mass from a second window into the first, staying
 * on the eps-sphere. A candidate is kept when its margin is lower or it succeeds. An example
 * stops querying as soon as it succeeds. Restarts rerun from a new start on examples still
 * unbroken, each with an equal share of the budget; failures keep their lowest margin.
 *
 * <p>Parameters (defaults): norm (linf, as every attack that takes linf; or l2), eps (required, > 0), queries per example
 * (10,000, the clean check included), p_init (0.05 for Linf, 0.1 for L2, the paper's
 * ImageNet settings; AutoAttack uses 0.8), restarts (1), batch (512), seed (0). Inputs [n, c, h, w].
 *
 * <pre>{@code
 * SquareAttack a = SquareAttack.builder().norm(Norm.LINF).eps(0.1f).queries(5000).seed(1).build();
 * AttackResult r = a.run(model, images, new Misclassification(labels));
 * }</pre>
 */
public final class SquareAttack extends BlackBoxAttack {
    private static final String NAME = "square";
    private final double pInit;
    private final int restarts;

    private SquareAttack(Norm norm, float eps, double pInit, int restarts, int queries, int batch, long seed) {
        super(NAME, norm, eps, queries, batch, seed);
        this.pInit = pInit;
        this.restarts = restarts;
    }

    /** The registry entry: norm (linf), eps (required), queries (10,000), pInit, restarts (1), batch, seed. */
    public static final AttackEntry ENTRY = AttackEntry.blackBox(NAME, AttackEntry.Eps.REQUIRED, "random square-shaped updates (score-based)",
            List.of(AttackParam.norm("linf", "linf or l2"), AttackParam.eps("required", "the radius, > 0"),
                    BlackBoxBuilder.queriesParam("10000"),
                    AttackParam.number("pInit", "0.05 linf, 0.1 l2", "initial fraction of the image a square covers"),
                    AttackParam.whole("restarts", "1", "restarts"), BlackBoxBuilder.batchParam(), AttackParam.seed()), a -> {
                Builder b = builder();
                a.norm(b::norm);
                if (!a.has("eps")) throw dev.feint.attack.ParameterException.missing(NAME, "eps");
                a.eps(Norm.LINF, b::eps);
                a.whole("queries", b::queries);
                a.number("pInit", v -> b.pInit(v));
                a.whole("restarts", b::restarts);
                a.whole("batch", b::batch);
                a.seed(b::seed);
                return b.build();
            });

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    @Override public SquareAttack withEps(float e) {
        return new SquareAttack(norm, Checks.positive(NAME, "eps", e), pInit, restarts, queries, batch, seed);
    }

    @Override void search(Oracle o, float[] x0, float[] adv, Criterion crit, float[] clean, boolean[] done) {
        int n = o.n, d = o.d, k = o.k;
        int[] cls = crit.classes();
        boolean tg = crit.targeted();
        SplittableRandom[] rng = new SplittableRandom[n];
        for (int i = 0; i < n; i++) rng[i] = rng(o, i);
        boolean[] ok = done.clone();
        double[] kept = new double[n], margin = new double[n];
        java.util.Arrays.fill(kept, Double.POSITIVE_INFINITY);
        float[] best = new float[n * d], cand = new float[n * d];
        int iters = (queries - 1) / restarts; // queries per restart, its start included
        for (int r = 0; r < restarts; r++) {
            int[] act = active(o, ok, 1);
            if (act.length == 0) break;
            for (int i : act) start(o, x0, best, i, rng[i]);
            score(o, best, act, crit, cls, tg, margin, ok, adv, best);
            for (int it = 0; it < iters - 1; it++) {
                act = active(o, ok, 1);
                if (act.length == 0) break;
                double p = SquareSchedule.p(pInit, it, iters);
                for (int j = 0; j < act.length; j++) {
                    int i = act[j];
                    if (norm == Norm.LINF) linfStep(o, x0, best, cand, i, j, p, rng[i]);
                    else l2Step(o, x0, best, cand, i, j, p, rng[i]);
                }
                score(o, cand, act, crit, cls, tg, margin, ok, adv, best);
            }
            for (int i = 0; i < n; i++)
                if (!done[i] && !ok[i] && margin[i] < kept[i]) {
                    kept[i] = margin[i];
                    System.arraycopy(best, i * d, adv, i * d, d);
                }
        }
    }

    /** Queries rows (packed: row j of xs is example act[j], or row act[j] when xs is the best buffer). */
    private void score(Oracle o, float[] xs, int[] act, Criterion crit, int[] cls, boolean tg, double[] margin, boolean[] ok,
                       float[] adv, float[] best) {
        int d = o.d, k = o.k, m = act.length;
        float[] packed = new float[m * d];
        boolean first = xs == best;
        for (int j = 0; j < m; j++) System.arraycopy(xs, (first ? act[j] : j) * d, packed, j * d, d);
        float[] z = o.logits(packed, act, m);
        for (int j = 0; j < m; j++) {
            int i = act[j];
            double mg = Oracle.margin(z, j, k, tg, cls[i]);
            boolean succ = crit.isAdversarial(i, Oracle.argmax(z, j, k));
            if (first || mg < margin[i] || succ) {
                margin[i] = mg;
                if (!first) System.arraycopy(packed, j * d, best, i * d, d);
            }
            if (succ) {
                ok[i] = true;
                System.arraycopy(best, i * d, adv, i * d, d);
            }
        }
    }

    private static int[] active(Oracle o, boolean[] ok, int need) {
        return java.util.stream.IntStream.range(0, o.n).filter(i -> !ok[i] && o.remaining(i) >= need).toArray();
    }

    /** Linf: +-eps stripes per (channel, column); L2: a 5x5 grid of +-eta patterns scaled to norm eps. */
    private void start(Oracle o, float[] x0, float[] best, int i, SplittableRandom r) {
        int c = o.c, h = o.h, w = o.w, d = o.d, off = i * d;
        Bounds b = o.bounds();
        if (norm == Norm.LINF) {
            for (int ch = 0; ch < c; ch++)
                for (int col = 0; col < w; col++) {
                    float sgn = r.nextBoolean() ? eps : -eps;
                    for (int row = 0; row < h; row++) {
                        int q = off + (ch * h + row) * w + col;
                        best[q] = b.clamp(x0[q] + sgn);
                    }
                }
            return;
        }
        float[] delta = new float[d];
        int s = Math.max(1, Math.min(h, w) / 5), sh = Math.max(0, (h - 5 * s) / 2), sw = Math.max(0, (w - 5 * s) / 2);
        for (int vh = sh; vh + s <= h; vh += s)
            for (int vw = sw; vw + s <= w; vw += s) {
                float[] e = pattern(s, r);
                for (int ch = 0; ch < c; ch++) {
                    float sgn = r.nextBoolean() ? 1f : -1f;
                    for (int a = 0; a < s; a++)
                        for (int bb = 0; bb < s; bb++) delta[(ch * h + vh + a) * w + vw + bb] += sgn * e[a * s + bb];
                }
            }
        toSphere(x0, off, delta, best, off, d, b);
    }

    private void linfStep(Oracle o, float[] x0, float[] best, float[] cand, int i, int j, double p, SplittableRandom r) {
        int c = o.c, h = o.h, w = o.w, d = o.d, off = i * d, co = j * d;
        Bounds b = o.bounds();
        System.arraycopy(best, off, cand, co, d);
        int s = SquareSchedule.linfSide(p, h, w), vh = r.nextInt(h - s + 1), vw = r.nextInt(w - s + 1);
        for (int tries = 0; tries < 16; tries++) { // resample signs until the window changes (the paper's rule)
            boolean changed = false;
            for (int ch = 0; ch < c; ch++) {
                float sgn = r.nextBoolean() ? eps : -eps;
                for (int a = vh; a < vh + s; a++)
                    for (int bb = vw; bb < vw + s; bb++) {
                        int q = (ch * h + a) * w + bb;
                        float v = b.clamp(x0[off + q] + sgn);
                        changed |= Math.abs(v - best[off + q]) > 1e-7f;
                        cand[co + q] = v;
                    }
            }
            if (changed) return;
        }
    }

    private void l2Step(Oracle o, float[] x0, float[] best, float[] cand, int i, int j, double p, SplittableRandom r) {
        int c = o.c, h = o.h, w = o.w, d = o.d, off = i * d, hw = h * w;
        float[] delta = new float[d];
        for (int q = 0; q < d; q++) delta[q] = best[off + q] - x0[off + q];
        int s = SquareSchedule.l2Side(p, h, w);
        int vh = r.nextInt(h - s + 1), vw = r.nextInt(w - s + 1), vh2 = r.nextInt(h - s + 1), vw2 = r.nextInt(w - s + 1);
        double image = 0, windows = 0;
        double[] win1 = new double[c];
        for (int ch = 0; ch < c; ch++)
            for (int a = 0; a < h; a++)
                for (int bb = 0; bb < w; bb++) {
                    double v = delta[ch * hw + a * w + bb], v2 = v * v;
                    image += v2;
                    boolean in1 = a >= vh && a < vh + s && bb >= vw && bb < vw + s;
                    boolean in2 = a >= vh2 && a < vh2 + s && bb >= vw2 && bb < vw2 + s;
                    if (in1) win1[ch] += v2;
                    if (in1 || in2) windows += v2;
                }
        double mag = Math.sqrt(Math.max((double) eps * eps - image, 0) / c + windows);
        float[] e = pattern(s, r), nw = new float[s * s];
        for (int ch = 0; ch < c; ch++) {
            float sgn = r.nextBoolean() ? 1f : -1f;
            double n1 = 1e-12 + Math.sqrt(win1[ch]), nn = 0;
            for (int a = 0; a < s; a++)
                for (int bb = 0; bb < s; bb++) {
                    nw[a * s + bb] = (float) (sgn * e[a * s + bb] + delta[ch * hw + (vh + a) * w + vw + bb] / n1);
                    nn += (double) nw[a * s + bb] * nw[a * s + bb];
                }
            float f = (float) (mag / (1e-12 + Math.sqrt(nn)));
            for (int a = 0; a < s; a++) for (int bb = 0; bb < s; bb++) delta[ch * hw + (vh2 + a) * w + vw2 + bb] = 0f;
            for (int a = 0; a < s; a++) for (int bb = 0; bb < s; bb++) delta[ch * hw + (vh + a) * w + vw + bb] = nw[a * s + bb] * f;
        }
        toSphere(x0, off, delta, cand, j * d, d, o.bounds());
    }

    /** out = clamp(x0 + eps * delta / ||delta||). */
    private void toSphere(float[] x0, int off, float[] delta, float[] out, int oo, int d, Bounds b) {
        double s = 0;
        for (float v : delta) s += (double) v * v;
        double f = eps / (Math.sqrt(s) + 1e-12);
        for (int q = 0; q < d; q++) out[oo + q] = b.clamp((float) (x0[off + q] + delta[q] * f));
    }

    /** eta(s), transposed with probability 1/2. */
    private static float[] pattern(int s, SplittableRandom r) {
        float[] e = SquareSchedule.eta(s);
        if (r.nextDouble() < 0.5) return e;
        float[] t = new float[s * s];
        for (int a = 0; a < s; a++) for (int bb = 0; bb < s; bb++) t[bb * s + a] = e[a * s + bb];
        return t;
    }

    @Override void describeSearch(Map<String, Object> p) {
        p.put("pInit", pInit);
        p.put("restarts", (long) restarts);
        p.put("loss", "margin");
    }

    /**
     * Builds a {@link SquareAttack}; {@link #build()} checks every value and names the one it refuses.
     * Queries, over all restarts: &gt;= 1 + restarts, default 10,000.
     */
    public static final class Builder extends BlackBoxBuilder<Builder> {
        private Norm norm = Norm.LINF;
        private Float eps;
        private Double pInit;
        private int restarts = 1;

        private Builder() {}

        /**
         * Sets the norm.
         *
         * @param v linf or l2 (default linf)
         * @return this builder
         */
        public Builder norm(Norm v) { norm = v; return this; }
        /**
         * Sets the radius.
         *
         * @param v the radius, in the units of the norm (required, &gt; 0)
         * @return this builder
         */
        public Builder eps(float v) { eps = v; return this; }
        /**
         * Sets the initial fraction of the image a square covers.
         *
         * @param v the fraction, in (0, 1] (default 0.05 linf, 0.1 l2)
         * @return this builder
         */
        public Builder pInit(double v) { pInit = v; return this; }
        /**
         * Sets the runs; a restart starts afresh on the examples still robust.
         *
         * @param v runs, &gt;= 1 (default 1)
         * @return this builder
         */
        public Builder restarts(int v) { restarts = v; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public SquareAttack build() {
            Norm nm = Checks.norm(NAME, norm, Norm.LINF, Norm.L2);
            float e = Checks.positive(NAME, "eps", Checks.required(NAME, "eps", eps));
            Checks.atLeast(NAME, "restarts", restarts, 1);
            int queries = Checks.atLeast(NAME, "queries", queriesOr(10_000), 1 + restarts);
            Checks.atLeast(NAME, "batch", batch, 1);
            double p = pInit != null ? pInit : nm == Norm.LINF ? 0.05 : 0.1;
            if (!(p > 0 && p <= 1)) throw dev.feint.attack.ParameterException.invalid(NAME, "pInit", p, "a number in (0, 1]");
            return new SquareAttack(nm, e, p, restarts, queries, batch, seed);
        }
    }
}
