package dev.feint.attack.blackbox;

import dev.feint.attack.AttackContext;
import dev.feint.model.Bounds;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/**
 * The only door from a black-box attack to the model: logits of flat batches, cut into chunks
 * of at most {@code maxBatch} images (activations of a few thousand images would not fit), each
 * charged to the example it was made for and checked against the per-example budget. Going
 * over budget is a bug in the attack, so it throws rather than silently spending more.
 */
final class Oracle {
    final int n, d, k, c, h, w;
    /** The relative logit margin a decision must win by ({@link dev.feint.attack.internal.DecisionMargin}); 0 for score-based attacks. */
    final float margin;
    private final AttackContext ctx;
    private final int budget, maxBatch;
    private final int[] used;

    Oracle(AttackContext ctx, int budget, int maxBatch, float margin) {
        this.ctx = ctx;
        this.margin = margin;
        this.budget = budget;
        this.maxBatch = maxBatch;
        int[] s = ctx.model().inputShape();
        this.c = s[0];
        this.h = s[1];
        this.w = s[2];
        this.n = ctx.n();
        this.d = ctx.d();
        this.k = ctx.numClasses();
        this.used = new int[n];
    }

    Bounds bounds() { return ctx.bounds(); }

    java.util.SplittableRandom random(long seed, int row) { return ctx.random(seed, row); }

    int remaining(int example) { return budget - used[example]; }

    int used(int example) { return used[example]; }

    /** Logits [m, k] (flat) of the first m rows of {@code xs}; row j is charged to example {@code owner[j]}. */
    float[] logits(float[] xs, int[] owner, int m) {
        for (int j = 0; j < m; j++)
            if (++used[owner[j]] > budget)
                throw new IllegalStateException("query budget " + budget + " exceeded for example " + owner[j]);
        float[] out = new float[m * k];
        for (int from = 0; from < m; from += maxBatch) {
            int len = Math.min(maxBatch, m - from);
            float[] chunk = from == 0 && len * d == xs.length ? xs : java.util.Arrays.copyOfRange(xs, from * d, (from + len) * d);
            int[] rows = java.util.Arrays.copyOfRange(owner, from, from + len);
            float[] z = ctx.logits(new Tensor(Shape.of(len, c, h, w), chunk), rows).data();
            System.arraycopy(z, 0, out, from * k, len * k);
        }
        return out;
    }

    /** One input of one example: a convenience for searches that move one point at a time. */
    float[] logits(float[] x, int example) { return logits(x, new int[] {example}, 1); }

    // Scores on flat logits rows. argmax breaks ties toward the lower index, as Reductions.argmaxLast does.

    static int argmax(float[] z, int row, int k) {
        int best = 0, o = row * k;
        for (int j = 1; j < k; j++) if (z[o + j] > z[o + best]) best = j;
        return best;
    }

    static double prob(float[] z, int row, int k, int cls) {
        int o = row * k;
        double m = Double.NEGATIVE_INFINITY, s = 0;
        for (int j = 0; j < k; j++) m = Math.max(m, z[o + j]);
        for (int j = 0; j < k; j++) s += Math.exp(z[o + j] - m);
        return Math.exp(z[o + cls] - m) / s;
    }

    /** What a score-based attack minimises: p(label) untargeted, 1 - p(target) targeted. */
    static double probLoss(float[] z, int row, int k, boolean targeted, int cls) {
        double p = prob(z, row, k, cls);
        return targeted ? 1 - p : p;
    }

    /** Logit margin to minimise: z_y - max_{j!=y} z_j untargeted, max_{j!=t} z_j - z_t targeted; below 0 succeeds. */
    static double margin(float[] z, int row, int k, boolean targeted, int cls) {
        int o = row * k;
        double other = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) if (j != cls) other = Math.max(other, z[o + j]);
        double m = z[o + cls] - other;
        return targeted ? -m : m;
    }
}
