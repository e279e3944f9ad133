package dev.feint.attack.blackbox;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Criterion;
import dev.feint.attack.Norm;
import dev.feint.attack.ParameterException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * SPSA, gradient-free and score-based: the gradient of the logit margin (label minus best other;
 * targeted: best other minus target) is estimated by simultaneous perturbation, the mean of
 * {@code (L(x + delta v) - L(x - delta v)) / (2 delta) * v} over {@code samples / 2} Rademacher
 * directions v, and followed with Adam, projected onto the Linf eps-ball and the bounds, until the
 * iterate succeeds (checked with one query per step) or the budget is spent. Only
 * {@link dev.feint.model.Model#logits} is used, so it attacks models without gradients (ONNX
 * Runtime, remote scores) and gradient-masked ones.
 *
 * <p>Uesato, O'Donoghue, van den Oord and Kohli, "Adversarial Risk and the Dangers of Evaluating
 * Against Weak Attacks", ICML 2018, arXiv:1802.05666. Norm: Linf.
 *
 * <p>Parameters: {@code eps} (required, > 0); {@code queries} (default 10,000 per example, the
 * clean check included; a step costs samples + 1); {@code samples} (default 128, even: the
 * paper's batch of perturbations); {@code delta} (default 0.01, the probe size);
 * {@code learningRate} (default 0.01, Adam's); {@code batch} (512 images per query batch);
 * {@code seed} (default 0; directions from (seed, example index)). Input x [n, c, h, w].
 *
 * <pre>{@code
 * Attack spsa = Spsa.builder().eps(0.1f).queries(5000).build();
 * AttackResult r = spsa.run(onnxModel, x, new Misclassification(labels));
 * }</pre>
 */
public final class Spsa extends BlackBoxAttack {
    static final String NAME = "spsa";
    private final int samples;
    private final float delta, lr;

    private Spsa(float eps, int queries, int samples, float delta, float lr, int batch, long seed) {
        super(NAME, Norm.LINF, eps, queries, batch, seed);
        this.samples = samples;
        this.delta = delta;
        this.lr = lr;
    }

    /** The registry entry: eps (0.1), queries (10,000), samples (128), delta (0.01), learningRate (0.01), batch, seed. */
    public static final AttackEntry ENTRY = AttackEntry.blackBox(NAME, AttackEntry.Eps.REQUIRED,
            "Adam on simultaneous-perturbation gradient estimates (scores only)",
            List.of(AttackParam.norm("linf", "linf"), AttackParam.eps("0.1", "the Linf radius"),
                    BlackBoxBuilder.queriesParam("10000"),
                    AttackParam.whole("samples", "128", "probes per gradient estimate (even)"),
                    AttackParam.number("delta", "0.01", "probe size"), AttackParam.number("learningRate", "0.01", "Adam learning rate"),
                    BlackBoxBuilder.batchParam(), AttackParam.seed()), a -> {
                Checks.norm(NAME, a.normOr(Norm.LINF), Norm.LINF);
                Builder b = builder();
                a.eps(Norm.LINF, b::eps);
                a.whole("queries", b::queries);
                a.whole("samples", b::samples);
                a.number("delta", b::delta);
                a.number("learningRate", b::learningRate);
                a.whole("batch", b::batch);
                a.seed(b::seed);
                return b.build();
            });

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    @Override public Attack withEps(float e) { return new Spsa(Checks.positive(NAME, "eps", e), queries, samples, delta, lr, batch, seed); }

    @Override void search(Oracle o, float[] x0, float[] adv, Criterion crit, float[] clean, boolean[] done) {
        int n = o.n, d = o.d, k = o.k, pairs = samples / 2;
        int[] cls = crit.classes();
        float[] m = new float[n * d], v = new float[n * d], g = new float[d], dir = new float[pairs * d];
        int[] t = new int[n];
        SplittableRandom[] rng = new SplittableRandom[n];
        for (int i = 0; i < n; i++) rng[i] = rng(o, i);
        while (true) {
            List<Integer> live = new ArrayList<>();
            for (int i = 0; i < n; i++) if (!done[i] && o.remaining(i) >= samples + 1) live.add(i);
            if (live.isEmpty()) return;
            int L = live.size();
            float[] probes = new float[L * samples * d], dirs = new float[L * pairs * d];
            int[] owner = new int[L * samples];
            for (int li = 0; li < L; li++) {
                int i = live.get(li);
                for (int p = 0; p < pairs; p++)
                    for (int j = 0; j < d; j++) {
                        float s = rng[i].nextBoolean() ? 1f : -1f, x = adv[i * d + j];
                        dirs[(li * pairs + p) * d + j] = s;
                        probes[(li * samples + 2 * p) * d + j] = o.bounds().clamp(x + delta * s);
                        probes[(li * samples + 2 * p + 1) * d + j] = o.bounds().clamp(x - delta * s);
                    }
                for (int q = 0; q < samples; q++) owner[li * samples + q] = i;
            }
            float[] z = o.logits(probes, owner, L * samples);
            float[] next = new float[L * d];
            int[] rows = new int[L];
            for (int li = 0; li < L; li++) {
                int i = live.get(li);
                rows[li] = i;
                java.util.Arrays.fill(g, 0f);
                System.arraycopy(dirs, li * pairs * d, dir, 0, pairs * d);
                for (int p = 0; p < pairs; p++) {
                    int r = li * samples + 2 * p;
                    float diff = (float) ((Oracle.margin(z, r, k, crit.targeted(), cls[i]) - Oracle.margin(z, r + 1, k, crit.targeted(), cls[i]))
                            / (2 * delta * pairs));
                    for (int j = 0; j < d; j++) g[j] += diff * dir[p * d + j];
                }
                t[i]++;
                double bc1 = 1 - Math.pow(0.9, t[i]), bc2 = 1 - Math.pow(0.999, t[i]);
                for (int j = 0; j < d; j++) { // Adam descends the margin, then the ball and the bounds
                    int q = i * d + j;
                    m[q] = 0.9f * m[q] + 0.1f * g[j];
                    v[q] = 0.999f * v[q] + 0.001f * g[j] * g[j];
                    float x = adv[q] - (float) (lr * (m[q] / bc1) / (Math.sqrt(v[q] / bc2) + 1e-8));
                    x = Math.max(x0[q] - eps, Math.min(x0[q] + eps, x));
                    next[li * d + j] = o.bounds().clamp(x);
                }
            }
            float[] zn = o.logits(next, rows, L);
            for (int li = 0; li < L; li++) {
                int i = live.get(li);
                System.arraycopy(next, li * d, adv, i * d, d);
                done[i] = crit.isAdversarial(i, Oracle.argmax(zn, li, k));
            }
        }
    }

    @Override void describeSearch(Map<String, Object> p) {
        p.put("samples", (long) samples);
        p.put("delta", (double) delta);
        p.put("learningRate", (double) lr);
    }

    /**
     * Builds an {@link Spsa}; {@link #build()} checks every value and names the one it refuses.
     * Queries: &gt;= samples + 2, a step costs samples + 1; default 10,000. The seed draws the directions.
     */
    public static final class Builder extends BlackBoxBuilder<Builder> {
        private Float eps;
        private int samples = 128;
        private float delta = 0.01f, lr = 0.01f;

        private Builder() {}

        /**
         * Sets the Linf radius.
         *
         * @param v the radius (required, &gt; 0)
         * @return this builder
         */
        public Builder eps(float v) { eps = v; return this; }
        /**
         * Sets the perturbations per gradient estimate.
         *
         * @param v perturbations, even and &gt;= 2 (default 128)
         * @return this builder
         */
        public Builder samples(int v) { samples = v; return this; }
        /**
         * Sets the size of each probe.
         *
         * @param v the probe size, &gt; 0 (default 0.01)
         * @return this builder
         */
        public Builder delta(float v) { delta = v; return this; }
        /**
         * Sets Adam's learning rate.
         *
         * @param v the learning rate, &gt; 0 (default 0.01)
         * @return this builder
         */
        public Builder learningRate(float v) { lr = v; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public Spsa build() {
            float e = Checks.positive(NAME, "eps", Checks.required(NAME, "eps", eps));
            if (samples < 2 || samples % 2 != 0) throw ParameterException.invalid(NAME, "samples", samples, "an even whole number >= 2");
            int queries = Checks.atLeast(NAME, "queries", queriesOr(10_000), samples + 2);
            return new Spsa(e, queries, samples, Checks.positive(NAME, "delta", delta), Checks.positive(NAME, "learningRate", lr),
                    Checks.atLeast(NAME, "batch", batch, 1), seed);
        }
    }
}
