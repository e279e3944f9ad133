package dev.feint.attack.gradient;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackEntry;

/**
 * NI-FGSM, Nesterov iterative: MI-FGSM whose gradient is taken at the look-ahead point
 * {@code x + stepSize * decay * g} (g the accumulated momentum), which escapes poor local
 * maxima sooner and transfers better. Returns the last iterate; deterministic.
 *
 * <p>Lin, Song, He, Wang and Hopcroft, "Nesterov Accelerated Gradient and Scale Invariance for
 * Adversarial Attacks", ICLR 2020, arXiv:1908.06281. Norm: Linf (L2 also accepted).
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code steps} (default 10); {@code stepSize}
 * (default eps / steps); {@code decay} (default 1.0, the paper's mu); {@code norm} (default
 * linf); {@code loss} (default ce). Input x [n, c, h, w].
 *
 * <pre>{@code
 * Attack ni = NiFgsm.builder().eps(0.1f).build();
 * AttackResult r = ni.run(surrogate, x, new Misclassification(labels));
 * }</pre>
 */
public final class NiFgsm {
    private NiFgsm() {}

    /** The registry entry: the transfer parameters (no seed: nothing is random). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("nifgsm", AttackEntry.Eps.REQUIRED,
            "momentum steps with the gradient at the Nesterov look-ahead", TransferAttack.params(false),
            a -> builder().read(a, false).build());

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    /** Builds NI-FGSM from the transfer values of {@link TransferBuilder}. */
    public static final class Builder extends TransferBuilder<Builder> {
        private Builder() {}
        @Override Builder self() { return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public Attack build() { return build("nifgsm", TransferSettings.NONE.nesterov(true)); }
    }
}
