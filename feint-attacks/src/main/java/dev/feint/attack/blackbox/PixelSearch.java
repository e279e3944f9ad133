package dev.feint.attack.blackbox;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Criterion;
import dev.feint.attack.Norm;
import dev.feint.model.Bounds;

import java.util.List;
import java.util.Map;

/**
 * Exhaustive single-pixel search at the box's corners: every pixel set to every combination of
 * the bounds' extreme values over its channels, H * W * 2^C candidates per example, scored in
 * batches of {@code batch}. No early stop: the search is the reference, so it always looks at
 * every candidate (budget permitting) and returns the successful candidate with the lowest
 * fitness (p(label) untargeted, 1 - p(target) targeted), else the lowest-fitness candidate.
 *
 * <p>What it bounds: for a model whose logits are affine in each pixel's channel values (a
 * linear classifier), any single-pixel change that succeeds implies a successful corner, so
 * this search finds every example {@link OnePixelAttack} with d = 1 can break. For a deep
 * network it is the one-pixel attack at extreme values only; interior values may do better.
 * The exhaustive counterpart of the one-pixel attack of Su, Vargas and Sakurai ("One Pixel
 * Attack for Fooling Deep Neural Networks", IEEE TEVC 2019, arXiv:1710.08864), which searches
 * the same space by differential evolution.
 *
 * <p>Parameters (defaults): queries per example (unlimited; the search stops in enumeration
 * order when the budget runs out), batch (512). Deterministic, no seed. L0 threat model with
 * one pixel; {@link #norm()} Linf only for reporting; eps NaN.
 *
 * <pre>{@code
 * PixelAttackResult r = PixelSearch.builder().build().runPixels(model, images, new Misclassification(labels));
 * }</pre>
 */
public final class PixelSearch extends BlackBoxAttack implements PixelAttack {
    private static final String NAME = "pixel-search";

    private PixelSearch(int queries, int batch) { super(NAME, Norm.LINF, Float.NaN, queries, batch, 0L); }

    /** The registry entry: queries (unlimited), batch (512). Deterministic: no seed. */
    public static final AttackEntry ENTRY = AttackEntry.blackBox(NAME, AttackEntry.Eps.NONE, "exhaustive one-pixel search over corners",
            List.of(BlackBoxBuilder.queriesParam("unlimited"),
                    BlackBoxBuilder.batchParam()), a -> {
                Builder b = builder();
                a.whole("queries", b::queries);
                a.whole("batch", b::batch);
                return b.build();
            });

    /** {@return a builder with every default (no value is required)} */
    public static Builder builder() { return new Builder(); }

    @Override public int pixels() { return 1; }

    @Override void search(Oracle o, float[] x0, float[] adv, Criterion crit, float[] clean, boolean[] done) {
        int c = o.c, hw = o.h * o.w, d = o.d, k = o.k, corners = 1 << c;
        if (c > 20) throw new dev.feint.FeintException(NAME + ": " + c + " channels give 2^" + c + " corners per pixel (expected at most 20 channels)");
        long total = (long) hw * corners;
        Bounds b = o.bounds();
        int[] cls = crit.classes();
        for (int i = 0; i < o.n; i++) {
            if (done[i]) continue;
            long budget = Math.min(total, o.remaining(i));
            int best = -1;
            boolean bestOk = false;
            double bestFit = Double.POSITIVE_INFINITY;
            int chunk = Math.max(1, batch);
            for (long from = 0; from < budget; from += chunk) {
                int m = (int) Math.min(chunk, budget - from);
                float[] imgs = new float[m * d];
                int[] rows = new int[m];
                java.util.Arrays.fill(rows, i);
                for (int j = 0; j < m; j++) {
                    System.arraycopy(x0, i * d, imgs, j * d, d);
                    set(imgs, j * d, (int) (from + j), c, hw, corners, b);
                }
                float[] z = o.logits(imgs, rows, m);
                for (int j = 0; j < m; j++) {
                    boolean ok = crit.isAdversarial(i, Oracle.argmax(z, j, k));
                    double f = Oracle.probLoss(z, j, k, crit.targeted(), cls[i]);
                    if ((ok && !bestOk) || (ok == bestOk && f < bestFit)) {
                        best = (int) (from + j);
                        bestOk = ok;
                        bestFit = f;
                    }
                }
            }
            if (best >= 0) set(adv, i * d, best, c, hw, corners, b);
        }
    }

    /** Candidate q = pixel * corners + mask: channel ch takes hi when bit ch of mask is set, else lo. */
    private static void set(float[] img, int off, int q, int c, int hw, int corners, Bounds b) {
        int p = q / corners, mask = q % corners;
        for (int ch = 0; ch < c; ch++) img[off + ch * hw + p] = (mask >> ch & 1) != 0 ? b.hi() : b.lo();
    }

    @Override void describeSearch(Map<String, Object> p) { p.put("pixels", 1L); }

    /** Builds a {@link PixelSearch}; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder {
        private int queries = Integer.MAX_VALUE, batch = DEFAULT_BATCH;

        private Builder() {}

        /**
         * Per-example query budget, the clean check included.
         *
         * @param v queries, &gt;= 1 (default unlimited)
         * @return this builder
         */
        public Builder queries(int v) { queries = v; return this; }
        /**
         * Sets the images per forward pass.
         *
         * @param v images, &gt;= 1 (default {@link BlackBoxAttack#DEFAULT_BATCH})
         * @return this builder
         */
        public Builder batch(int v) { batch = v; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range
         */
        public PixelSearch build() {
            Checks.atLeast(NAME, "queries", queries, 1);
            Checks.atLeast(NAME, "batch", batch, 1);
            return new PixelSearch(queries, batch);
        }
    }
}
