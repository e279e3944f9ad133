package dev.feint.attack.blackbox;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.FeintException;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Criterion;
import dev.feint.attack.Norm;
import dev.feint.model.Bounds;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * SimBA: Guo, Gardner, You, Wilson and Weinberger, "Simple Black-box Adversarial Attacks",
 * ICML 2019, arXiv:1905.07121. Score-based; the perturbation grows in L2 (each accepted step
 * adds exactly {@code eps} of L2 before clipping), so it is reported as an unbounded L2 attack.
 *
 * <p>Directions q of an orthonormal basis are drawn without replacement; for each, x + eps q
 * and then x - eps q are tried, and the first that lowers the label's probability (raises the
 * target's, when targeted) is kept. Bases: {@code pixel} (single coordinates, in random order)
 * and {@code dct} (2-D orthonormal DCT-II basis functions per channel, the paper's SimBA-DCT:
 * the low-frequency block of side ceil(ratio * min(h, w)) first, then rings of width
 * max(1, block / 4) toward higher frequencies, each group in random order). An example stops on
 * success, when its directions run out, or at its query budget; the trial images of all active
 * examples form one batched query per side.
 *
 * <p>Parameters (defaults): basis (pixel), eps (0.2, the step, in input units), frequency ratio
 * (0.125, dct only), queries per example (10,000, the clean check included), batch (512), seed (0).
 *
 * <pre>{@code
 * SimBA a = SimBA.builder().basis(SimBA.Basis.DCT).eps(0.2f).queries(2000).seed(1).build();
 * AttackResult r = a.run(model, images, new Misclassification(labels));
 * }</pre>
 */
public final class SimBA extends BlackBoxAttack {
    private static final String NAME = "simba";

    /** The directions SimBA tries, one coordinate of the basis at a time. */
    public enum Basis {
        /** Single input values (pixel and channel), in random order. */
        PIXEL,
        /** Two-dimensional DCT basis images, lowest frequencies first. */
        DCT;

        /**
         * Reads a basis from its name.
         *
         * @param s pixel or dct (case and surrounding spaces ignored)
         * @return the basis
         * @throws dev.feint.attack.ParameterException for any other name
         */
        public static Basis parse(String s) {
            return switch (s == null ? "" : s.trim().toLowerCase(Locale.ROOT)) {
                case "pixel" -> PIXEL;
                case "dct" -> DCT;
                default -> throw dev.feint.attack.ParameterException.invalid(NAME, "basis", s, "pixel or dct");
            };
        }
    }

    private final Basis basis;
    private final float step, ratio;

    private SimBA(Basis basis, float step, float ratio, int queries, int batch, long seed) {
        super(NAME, Norm.L2, Float.NaN, queries, batch, seed);
        this.basis = basis;
        this.step = step;
        this.ratio = ratio;
    }

    /** The registry entry: basis (pixel), eps (0.2, the step), frequencyRatio (0.125), queries (10,000), batch, seed. */
    public static final AttackEntry ENTRY = AttackEntry.blackBox(NAME, AttackEntry.Eps.OPTIONAL, "simple black-box steps along a basis",
            List.of(AttackParam.text("basis", "pixel", "pixel or dct"), AttackParam.eps("0.2", "the step length"),
                    AttackParam.number("frequencyRatio", "0.125", "dct: fraction of low frequencies"),
                    BlackBoxBuilder.queriesParam("10000"), BlackBoxBuilder.batchParam(), AttackParam.seed()), a -> {
                Builder b = builder();
                a.text("basis", v -> b.basis(Basis.parse(v)));
                a.eps(Norm.L2, b::eps);
                a.number("frequencyRatio", b::frequencyRatio);
                b.readShared(a);
                return b.build();
            });

    /** {@return a builder with every default (no value is required)} */
    public static Builder builder() { return new Builder(); }

    @Override void search(Oracle o, float[] x0, float[] adv, Criterion crit, float[] clean, boolean[] done) {
        int n = o.n, d = o.d, k = o.k;
        int[] cls = crit.classes();
        boolean tg = crit.targeted();
        Bounds b = o.bounds();
        Dct dct = basis == Basis.DCT ? new Dct(o.h, o.w) : null;
        int[][] order = new int[n][];
        double[] loss = new double[n];
        int[] next = new int[n];
        float[] delta = new float[n * d], dir = new float[d];
        for (int i = 0; i < n; i++) {
            if (done[i]) continue;
            order[i] = basis == Basis.PIXEL ? shuffled(d, rng(o, i)) : dct.order(o.c, ratio, rng(o, i));
            loss[i] = Oracle.probLoss(clean, i, k, tg, cls[i]);
        }
        boolean[] ok = done.clone();
        while (true) {
            int[] act = java.util.stream.IntStream.range(0, n)
                    .filter(i -> !ok[i] && next[i] < order[i].length && o.remaining(i) >= 1).toArray();
            if (act.length == 0) break;
            boolean[] kept = new boolean[n];
            for (float sign : new float[] {1f, -1f}) {
                int[] tryRows = java.util.Arrays.stream(act).filter(i -> !kept[i] && !ok[i] && o.remaining(i) >= 1).toArray();
                if (tryRows.length == 0) break;
                int m = tryRows.length;
                float[] imgs = new float[m * d];
                for (int j = 0; j < m; j++) {
                    int i = tryRows[j];
                    direction(order[i][next[i]], dct, o, dir);
                    for (int q = 0; q < d; q++) imgs[j * d + q] = b.clamp(x0[i * d + q] + delta[i * d + q] + sign * step * dir[q]);
                }
                float[] z = o.logits(imgs, tryRows, m);
                for (int j = 0; j < m; j++) {
                    int i = tryRows[j];
                    double l = Oracle.probLoss(z, j, k, tg, cls[i]);
                    if (l < loss[i]) {
                        loss[i] = l;
                        kept[i] = true;
                        direction(order[i][next[i]], dct, o, dir);
                        for (int q = 0; q < d; q++) delta[i * d + q] += sign * step * dir[q];
                        System.arraycopy(imgs, j * d, adv, i * d, d);
                        ok[i] = crit.isAdversarial(i, Oracle.argmax(z, j, k));
                    }
                }
            }
            for (int i : act) next[i]++;
        }
    }

    /** The unit basis vector with index idx, written densely into dir. */
    private static void direction(int idx, Dct dct, Oracle o, float[] dir) {
        java.util.Arrays.fill(dir, 0f);
        if (dct == null) dir[idx] = 1f;
        else dct.basis(idx, dir);
    }

    private static int[] shuffled(int d, SplittableRandom r) {
        int[] p = new int[d];
        for (int i = 0; i < d; i++) p[i] = i;
        for (int i = d - 1; i > 0; i--) {
            int j = r.nextInt(i + 1), t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Orthonormal 2-D DCT-II basis functions; index = (ch * h + u) * w + v for frequency (u, v) of channel ch. */
    static final class Dct {
        final int h, w;
        final float[] cu, cv; // cu[u * h + i] = a_u cos(pi (2i + 1) u / 2h)

        Dct(int h, int w) {
            this.h = h;
            this.w = w;
            cu = table(h);
            cv = table(w);
        }

        private static float[] table(int n) {
            float[] t = new float[n * n];
            for (int u = 0; u < n; u++)
                for (int i = 0; i < n; i++)
                    t[u * n + i] = (float) ((u == 0 ? Math.sqrt(1.0 / n) : Math.sqrt(2.0 / n)) * Math.cos(Math.PI * (2 * i + 1) * u / (2.0 * n)));
            return t;
        }

        void basis(int idx, float[] dir) {
            int hw = h * w, ch = idx / hw, u = idx % hw / w, v = idx % w;
            for (int i = 0; i < h; i++) {
                float a = cu[u * h + i];
                for (int j = 0; j < w; j++) dir[ch * hw + i * w + j] = a * cv[v * w + j];
            }
        }

        /** Low frequencies first: the block [0, s)^2, then rings of width stride; random inside each group. */
        int[] order(int c, float ratio, SplittableRandom r) {
            int s = Math.max(1, (int) Math.ceil(ratio * Math.min(h, w))), stride = Math.max(1, s / 4), d = c * h * w;
            int[] ring = new int[d], p = shuffled(d, r);
            for (int idx = 0; idx < d; idx++) {
                int u = idx % (h * w) / w, v = idx % w, m = Math.max(u, v);
                ring[idx] = m < s ? 0 : 1 + (m - s) / stride;
            }
            // A stable sort of the shuffled indices by ring keeps the random order inside each ring.
            Integer[] boxed = new Integer[d];
            for (int i = 0; i < d; i++) boxed[i] = p[i];
            java.util.Arrays.sort(boxed, java.util.Comparator.comparingInt(a -> ring[a]));
            for (int i = 0; i < d; i++) p[i] = boxed[i];
            return p;
        }
    }

    @Override void describeSearch(Map<String, Object> p) {
        p.put("basis", basis.name().toLowerCase(Locale.ROOT));
        p.put("stepSize", (double) step);
        if (basis == Basis.DCT) p.put("frequencyRatio", (double) ratio);
    }

    /**
     * Builds a {@link SimBA}; {@link #build()} checks every value and names the one it refuses.
     * Queries: &gt;= 1, default 10,000.
     */
    public static final class Builder extends BlackBoxBuilder<Builder> {
        private Basis basis = Basis.PIXEL;
        private float eps = 0.2f, ratio = 0.125f;

        private Builder() {}

        /**
         * Sets the basis of the directions.
         *
         * @param v pixel or dct (default pixel)
         * @return this builder
         */
        public Builder basis(Basis v) { basis = v; return this; }
        /**
         * The step: the L2 length of one accepted change (the paper's epsilon).
         *
         * @param v the step, &gt; 0 (default 0.2)
         * @return this builder
         */
        public Builder eps(float v) { eps = v; return this; }
        /**
         * Sets the side of the first low-frequency block, as a fraction of the image (DCT only).
         *
         * @param v the fraction, in (0, 1] (default 0.125)
         * @return this builder
         */
        public Builder frequencyRatio(float v) { ratio = v; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range
         */
        public SimBA build() {
            if (basis == null) throw dev.feint.attack.ParameterException.missing(NAME, "basis");
            Checks.positive(NAME, "eps", eps);
            if (!(ratio > 0 && ratio <= 1)) throw dev.feint.attack.ParameterException.invalid(NAME, "frequencyRatio", ratio, "a number in (0, 1]");
            int queries = Checks.atLeast(NAME, "queries", queriesOr(10_000), 1);
            Checks.atLeast(NAME, "batch", batch, 1);
            return new SimBA(basis, eps, ratio, queries, batch, seed);
        }
    }
}
