package dev.feint.attack.gradient;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;

/**
 * VMI-FGSM, variance-tuned momentum: each step follows {@code grad + v}, where v, from the
 * previous step, is the mean gradient at {@code samples} points uniform in the Linf ball of
 * radius {@code beta * eps} around the iterate minus the gradient at the iterate; this
 * stabilises the update direction. Returns the last iterate.
 *
 * <p>Wang and He, "Enhancing the Transferability of Adversarial Attacks through Variance
 * Tuning", CVPR 2021, arXiv:2103.15571. Norm: Linf (L2 also accepted).
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code steps} (default 10); {@code stepSize}
 * (default eps / steps); {@code decay} (default 1.0); {@code samples} (default 20, the paper's
 * N; torchattacks uses 5; each costs one gradient per step); {@code beta} (default 1.5);
 * {@code norm} (linf); {@code loss} (ce); {@code seed} (0; neighbours from (seed, example index)).
 * Input x [n, c, h, w].
 *
 * <pre>{@code
 * Attack vmi = VmiFgsm.builder().eps(0.1f).samples(20).beta(1.5f).build();
 * AttackResult r = vmi.run(surrogate, x, new Misclassification(labels));
 * }</pre>
 */
public final class VmiFgsm {
    private VmiFgsm() {}

    /** The registry entry: the transfer parameters, samples (20), beta (1.5). */
    public static final AttackEntry ENTRY = entry("vmifgsm", false, "momentum steps with variance tuning");

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder("vmifgsm", false); }

    /** VMI's entry, or VNI's (the same with the Nesterov look-ahead). */
    static AttackEntry entry(String name, boolean nesterov, String summary) {
        return AttackEntry.whiteBox(name, AttackEntry.Eps.REQUIRED, summary,
                TransferAttack.params(true, AttackParam.whole("samples", "20", "neighbours N per step"),
                        AttackParam.number("beta", "1.5", "neighbourhood radius, in units of eps")), a -> {
                    Builder b = new Builder(name, nesterov).read(a, true);
                    a.whole("samples", b::samples);
                    a.number("beta", b::beta);
                    return b.build();
                });
    }

    /** Builds VMI-FGSM (and VNI-FGSM); {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder extends TransferBuilder<Builder> {
        private final String name;
        private final boolean nesterov;
        private int samples = 20;
        private float beta = 1.5f;

        Builder(String name, boolean nesterov) {
            this.name = name;
            this.nesterov = nesterov;
        }

        @Override Builder self() { return this; }

        /**
         * Sets N, the neighbours sampled per step for the variance term.
         *
         * @param n neighbours, &gt;= 1 (default 20)
         * @return this builder
         */
        public Builder samples(int n) { this.samples = n; return this; }

        /**
         * Sets the neighbourhood radius, in units of eps.
         *
         * @param beta the radius factor, &gt; 0 (default 1.5)
         * @return this builder
         */
        public Builder beta(float beta) { this.beta = beta; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public Attack build() {
            return build(name, TransferSettings.NONE.variance(Checks.atLeast(name, "samples", samples, 1),
                    Checks.positive(name, "beta", beta)).nesterov(nesterov));
        }
    }
}
