package dev.feint.attack.gradient;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;

/**
 * SI-FGSM, scale invariance: MI-FGSM whose gradient is the mean over {@code scales} copies
 * {@code lo + (x - lo) / 2^i}, i = 0..scales-1 (x / 2^i on [0, 1] images, the paper's S_i; the
 * gradient is with respect to x, so copy i weighs 2^-i), a model augmentation for free.
 * {@code nesterov=true} gives the paper's SI-NI-FGSM. Returns the last iterate; deterministic.
 *
 * <p>Lin, Song, He, Wang and Hopcroft, "Nesterov Accelerated Gradient and Scale Invariance for
 * Adversarial Attacks", ICLR 2020, arXiv:1908.06281. Norm: Linf (L2 also accepted).
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code steps} (default 10); {@code stepSize}
 * (default eps / steps); {@code decay} (default 1.0); {@code scales} (default 5, the paper's m;
 * each costs one gradient per step); {@code nesterov} (default false); {@code norm} (linf);
 * {@code loss} (ce). Input x [n, c, h, w].
 *
 * <pre>{@code
 * Attack sini = SiFgsm.builder().eps(0.1f).scales(5).nesterov(true).build();
 * AttackResult r = sini.run(surrogate, x, new Misclassification(labels));
 * }</pre>
 */
public final class SiFgsm {
    private SiFgsm() {}

    /** The registry entry: the transfer parameters (no seed), scales (5), nesterov (false). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("sifgsm", AttackEntry.Eps.REQUIRED,
            "momentum steps along the mean gradient of 2^-i scaled copies (scale invariance)",
            TransferAttack.params(false, AttackParam.whole("scales", "5", "scaled copies m"),
                    AttackParam.flag("nesterov", "false", "gradient at the look-ahead (SI-NI-FGSM)")), a -> {
                Builder b = builder().read(a, false);
                a.whole("scales", b::scales);
                a.flag("nesterov", b::nesterov);
                return b.build();
            });

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    /** Builds SI-FGSM; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder extends TransferBuilder<Builder> {
        private int scales = 5;
        private boolean nesterov;

        private Builder() {}

        @Override Builder self() { return this; }

        /**
         * Sets m, the number of scaled copies (x / 2^i) whose gradients are averaged.
         *
         * @param m copies, &gt;= 1 (default 5)
         * @return this builder
         */
        public Builder scales(int m) { this.scales = m; return this; }

        /**
         * Sets whether to look ahead along the momentum (SI-NI-FGSM).
         *
         * @param on true for Nesterov's look-ahead (default false)
         * @return this builder
         */
        public Builder nesterov(boolean on) { this.nesterov = on; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public Attack build() {
            return build("sifgsm", TransferSettings.NONE.scales(Checks.atLeast("sifgsm", "scales", scales, 1)).nesterov(nesterov));
        }
    }
}
