package dev.feint.attack.gradient;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;

/**
 * DI-FGSM, diverse inputs: each gradient is taken through a random transformation of the
 * input (with probability {@code diversityProb}, a nearest-neighbour resize to a random size in
 * [resizeRate * h, h) and a random zero-pad back to h x w; see {@link InputDiversity}), so the
 * perturbation does not over-fit the surrogate. With MI-FGSM's momentum (the default) it is the
 * paper's M-DI2-FGSM; {@code decay=0} gives DI2-FGSM. Returns the last iterate.
 *
 * <p>Xie, Zhang, Zhou, Bai, Wang, Ren and Yuille, "Improving Transferability of Adversarial
 * Examples with Input Diversity", CVPR 2019, arXiv:1803.06978. Norm: Linf (L2 also accepted).
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code steps} (default 10); {@code stepSize}
 * (default eps / steps); {@code decay} (default 1.0); {@code diversityProb} (default 0.5, the
 * paper's p); {@code resizeRate} (default 0.9, torchattacks'); {@code norm} (default linf);
 * {@code loss} (default ce); {@code seed} (default 0; draws from (seed, example index)). With
 * diversityProb 0 it is MI-FGSM, bit for bit. Input x [n, c, h, w].
 *
 * <pre>{@code
 * Attack di = DiFgsm.builder().eps(0.1f).diversityProb(0.5f).seed(1).build();
 * AttackResult r = di.run(surrogate, x, new Misclassification(labels));
 * }</pre>
 */
public final class DiFgsm {
    private DiFgsm() {}

    /** The registry entry: the transfer parameters, diversityProb (0.5), resizeRate (0.9). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("difgsm", AttackEntry.Eps.REQUIRED,
            "momentum steps through random resize-and-pad (input diversity)",
            TransferAttack.params(true, AttackParam.number("diversityProb", "0.5", "probability of transforming an input"),
                    AttackParam.number("resizeRate", "0.9", "smallest resized size, as a fraction of the image")), a -> {
                Builder b = builder().read(a, true);
                a.number("diversityProb", b::diversityProb);
                a.number("resizeRate", b::resizeRate);
                return b.build();
            });

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    /** Builds DI-FGSM; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder extends TransferBuilder<Builder> {
        private float p = 0.5f, rate = 0.9f;

        private Builder() {}

        @Override Builder self() { return this; }

        /**
         * Sets the probability that a step's input is resized and padded.
         *
         * @param p the probability, in [0, 1] (default 0.5)
         * @return this builder
         */
        public Builder diversityProb(float p) { this.p = p; return this; }

        /**
         * Sets the smallest resize ratio of the random resize.
         *
         * @param rate the ratio, in (0, 1] (default 0.9)
         * @return this builder
         */
        public Builder resizeRate(float rate) { this.rate = rate; return this; }

        /**
         * Checks the values and builds the attack.
         *
         * @return the attack
         * @throws dev.feint.attack.ParameterException naming the first value out of range or missing
         */
        public Attack build() {
            return build("difgsm", TransferSettings.NONE.diversity(Checks.within("difgsm", "diversityProb", p, 0f, 1f),
                    Checks.within("difgsm", "resizeRate", rate, 0.01f, 1f)));
        }
    }
}
