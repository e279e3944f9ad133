package dev.feint.attack.blackbox;

import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Criterion;
import dev.feint.attack.Norm;
import dev.feint.model.Bounds;

import java.util.List;
import java.util.Map;

/**
 * The one-pixel attack: Su, Vargas and Sakurai, "One Pixel Attack for Fooling Deep Neural
 * Networks", IEEE TEVC 2019, arXiv:1710.08864. Score-based, L0 threat model: change at most
 * {@code pixels} pixels (every channel of a pixel) anywhere in the image.
 *
 * <p>A candidate is d tuples (row, column, value per channel), searched by
 * {@link DifferentialEvolution} (DE/rand/1, no crossover). Fitness: the true class's softmax
 * probability when untargeted, one minus the target's probability when targeted (both
 * minimised). Initial positions are uniform over the image, initial values Gaussian around the
 * middle of the model's bounds with sigma = range * 127/255 (the paper's N(128, 127)), clipped.
 * An example stops at the first generation holding a candidate that meets the criterion
 * (early stop); otherwise the best candidate found is returned. Each generation of up to
 * {@code batch / population} examples is one batched query.
 *
 * <p>Parameters (defaults): pixels (1), population (400), generations (100), F (0.5),
 * queries per example (1 + population * (generations + 1) = 40,401: the clean check, the
 * initial population, and one population per generation; a smaller budget cuts generations),
 * batch (512), seed (0). {@link #norm()} is Linf only for reporting the size of the change;
 * the threat model is the pixel count, so {@link #eps()} is NaN. Inputs [n, c, h, w], any c.
 *
 * <pre>{@code
 * OnePixelAttack a = OnePixelAttack.builder().pixels(3).seed(1).build();
 * PixelAttackResult r = a.runPixels(model, images, new Misclassification(labels));
 * }</pre>
 */
public final class OnePixelAttack extends BlackBoxAttack implements PixelAttack {
    private static final String NAME = "onepixel";
    private final int pixels;
    private final DifferentialEvolution de;

    private OnePixelAttack(int pixels, DifferentialEvolution de, int queries, int batch, long seed) {
        super(NAME, Norm.LINF, Float.NaN, queries, batch, seed);
        this.pixels = pixels;
        this.de = de;
    }

    /** The registry entry: pixels (1), queries (40,401), population (400), generations (100), mutation (0.5), batch, seed. */
    public static final AttackEntry ENTRY = AttackEntry.blackBox(NAME, AttackEntry.Eps.NONE,
            "changes at most d pixels, found by differential evolution",
            List.of(AttackParam.whole("pixels", "1", "pixels it may change"),
                    BlackBoxBuilder.queriesParam("40401"),
                    AttackParam.whole("population", "400", "candidates per generation"),
                    AttackParam.whole("generations", "100", "generations"), AttackParam.number("mutation", "0.5", "F"), BlackBoxBuilder.batchParam(), AttackParam.seed()), a -> {
                Builder b = builder();
                a.whole("pixels", b::pixels);
                a.whole("queries", b::queries);
                a.whole("population", b::population);
                a.whole("generations", b::generations);
                a.number("mutation", b::mutation);
                a.whole("batch", b::batch);
                a.seed(b::seed);
                return b.build();
            });

    /** {@return a builder with every default (no value is required)} */
    public static Builder builder() { return new Builder(); }

    @Override public int pixels() { return pixels; }

    @Override void search(Oracle o, float[] x0, float[] adv, Criterion crit, float[] clean, boolean[] done) {
        int c = o.c, h = o.h, w = o.w, d = o.d, k = o.k, per = 2 + c, dim = pixels * per;
        Bounds b = o.bounds();
        float[] lo = new float[dim], hi = new float[dim];
        for (int j = 0; j < dim; j++) {
            int f = j % per;
            lo[j] = f < 2 ? 0 : b.lo();
            hi[j] = f == 0 ? h : f == 1 ? w : b.hi();
        }
        float mid = (b.lo() + b.hi()) / 2, sigma = b.range() * 127f / 255f;
        DifferentialEvolution.Sampler init = (j, r) -> {
            int f = j % per;
            return f == 0 ? (float) (r.nextDouble() * h) : f == 1 ? (float) (r.nextDouble() * w) : (float) (mid + sigma * gaussian(r));
        };
        int[] cls = crit.classes();
        boolean targeted = crit.targeted();
        int group = Math.max(1, batch / de.population());
        int[] todo = java.util.stream.IntStream.range(0, o.n).filter(i -> !done[i]).toArray();
        for (int g0 = 0; g0 < todo.length; g0 += group) {
            int[] ex = java.util.Arrays.copyOfRange(todo, g0, Math.min(todo.length, g0 + group));
            long[] seeds = new long[ex.length];
            long budget = Long.MAX_VALUE;
            for (int p = 0; p < ex.length; p++) {
                seeds[p] = rng(o, ex[p]).nextLong();
                budget = Math.min(budget, o.remaining(ex[p]));
            }
            DifferentialEvolution.Result r = de.minimise(ex.length, lo, hi, init, seeds, budget, (cand, owner, m, fit, solved) -> {
                float[] imgs = new float[m * d];
                int[] rows = new int[m];
                for (int j = 0; j < m; j++) {
                    rows[j] = ex[owner[j]];
                    System.arraycopy(x0, rows[j] * d, imgs, j * d, d);
                    apply(cand, j * dim, imgs, j * d, c, h, w);
                }
                float[] z = o.logits(imgs, rows, m);
                for (int j = 0; j < m; j++) {
                    fit[j] = Oracle.probLoss(z, j, k, targeted, cls[rows[j]]);
                    solved[j] = crit.isAdversarial(rows[j], Oracle.argmax(z, j, k));
                }
            });
            for (int p = 0; p < ex.length; p++) apply(r.best(), p * dim, adv, ex[p] * d, c, h, w);
        }
    }

    /** Writes the pixels of the candidate at cand[off..] into the image at img[io..]. */
    private void apply(float[] cand, int off, float[] img, int io, int c, int h, int w) {
        int per = 2 + c;
        for (int p = 0; p < pixels; p++) {
            int q = off + p * per;
            int row = Math.min(h - 1, (int) cand[q]), col = Math.min(w - 1, (int) cand[q + 1]);
            for (int ch = 0; ch < c; ch++) img[io + ch * h * w + row * w + col] = cand[q + 2 + ch];
        }
    }

    @Override void describeSearch(Map<String, Object> p) {
        p.put("pixels", (long) pixels);
        p.put("population", (long) de.population());
        p.put("generations", (long) de.generations());
        p.put("mutation", (double) de.mutation());
    }

    /**
     * Builds a {@link OnePixelAttack}; {@link #build()} checks every value and names the one it refuses.
     * Queries: &gt;= 1 + population, default 1 + population * (generations + 1) (every generation run).
     */
    public static final class Builder extends BlackBoxBuilder<Builder> {
        private int pixels = 1, population = 400, generations = 100;
        private float mutation = 0.5f;

        private Builder() {}

        /**
         * Sets the pixels the attack may change per example.
         *
         * @param v pixels, &gt;= 1 (default 1)
         * @return this builder
         */
        public Builder pixels(int v) { pixels = v; return this; }
        /**
         * Sets the candidates per generation of differential evolution.
         *
         * @param v candidates, &gt;= 1 (default 400)
         * @return this builder
         */
        public Builder population(int v) { population = v; return this; }
        /**
         * Sets the most generations.
         *
         * @param v generations, &gt;= 0 (default 100)
         * @return this builder
         */
        public Builder generations(int v) { generations = v; return this; }
        /**
         * Sets F, the mutation factor of differential evolution.
         *
         * @param v the factor, &gt; 0 (default 0.5)
         * @return this builder
         */
        public Builder mutation(float v) { mutation = v; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range
         */
        public OnePixelAttack build() {
            Checks.atLeast(NAME, "pixels", pixels, 1);
            Checks.atLeast(NAME, "batch", batch, 1);
            DifferentialEvolution de = DifferentialEvolution.builder().population(population).generations(generations)
                    .mutation(mutation).build();
            long full = 1 + (long) population * (generations + 1);
            int q = queriesOr((int) Math.min(Integer.MAX_VALUE, full));
            Checks.atLeast(NAME, "queries", q, 1 + population);
            return new OnePixelAttack(pixels, de, q, batch, seed);
        }
    }
}
