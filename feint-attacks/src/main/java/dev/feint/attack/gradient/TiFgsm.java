package dev.feint.attack.gradient;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.ParameterException;

/**
 * TI-FGSM, translation-invariant: each gradient is convolved per channel with a normalised
 * Gaussian kernel (see {@link GaussianSmoothing}), which approximates the gradient over an
 * ensemble of translated images and so transfers to models with other receptive fields. With
 * momentum (the default) it is TI-MI-FGSM; {@code diversityProb > 0} gives TI-DIM, the
 * paper's strongest. Returns the last iterate.
 *
 * <p>Dong, Pang, Su and Zhu, "Evading Defenses to Transferable Adversarial Examples by
 * Translation-Invariant Attacks", CVPR 2019, arXiv:1904.02884. Norm: Linf (L2 also accepted).
 *
 * <p>Parameters: {@code eps} (required, >= 0); {@code steps} (default 10); {@code stepSize}
 * (default eps / steps); {@code decay} (default 1.0); {@code kernelSize} (odd, or {@code auto},
 * the default: the largest odd size at most a quarter of the image's shorter side, between 3 and
 * 15, so 7 on 28 px Fashion-MNIST and 32 px CIFAR images and the paper's and torchattacks' 15 on
 * 224-299 px ones; a kernel as wide as half the image smears the gradient of a small image into a
 * near-constant); {@code kernelSigma}
 * (default 3: the kernel spans [-3, 3] standard deviations); {@code diversityProb} (default 0)
 * and {@code resizeRate} (0.9) as in {@link DiFgsm}; {@code norm} (linf); {@code loss} (ce);
 * {@code seed} (0). Input x [n, c, h, w].
 *
 * <pre>{@code
 * Attack ti = TiFgsm.builder().eps(0.1f).kernelSize(7).build();
 * AttackResult r = ti.run(surrogate, x, new Misclassification(labels));
 * }</pre>
 */
public final class TiFgsm {
    private TiFgsm() {}

    /** The registry entry: the transfer parameters, kernelSize (auto), kernelSigma (3), diversityProb (0), resizeRate (0.9). */
    public static final AttackEntry ENTRY = AttackEntry.whiteBox("tifgsm", AttackEntry.Eps.REQUIRED,
            "momentum steps along the Gaussian-smoothed gradient (translation invariance)",
            TransferAttack.params(true, AttackParam.text("kernelSize", "auto",
                            "odd side of the Gaussian kernel; auto: a quarter of the image side, 3 to 15 (7 at 28-32 px)"),
                    AttackParam.number("kernelSigma", "3", "the kernel spans [-sigma, sigma]"),
                    AttackParam.number("diversityProb", "0", "probability of input diversity (TI-DIM)"),
                    AttackParam.number("resizeRate", "0.9", "smallest resized size, as a fraction of the image")), a -> {
                Builder b = builder().read(a, true);
                a.text("kernelSize", s -> b.kernelSize(kernelSize(s)));
                a.number("kernelSigma", b::kernelSigma);
                a.number("diversityProb", b::diversityProb);
                a.number("resizeRate", b::resizeRate);
                return b.build();
            });

    /** {@return a builder with every default; {@code eps} is required} */
    public static Builder builder() { return new Builder(); }

    /** Kernel size "auto" for {@link Builder#kernelSize}: sized to the image (see the class comment). */
    public static final int AUTO = TransferSettings.AUTO_KERNEL;

    private static int kernelSize(String s) {
        if (s.equals("auto")) return AUTO;
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw ParameterException.invalid("tifgsm", "kernelSize", s, "auto or an odd whole number >= 1");
        }
    }

    /** Builds TI-FGSM; {@link #build()} checks every value and names the one it refuses. */
    public static final class Builder extends TransferBuilder<Builder> {
        private int size = AUTO;
        private float sigma = 3f, p = 0f, rate = 0.9f;

        private Builder() {}

        @Override Builder self() { return this; }

        /**
         * An odd kernel side, or {@link TiFgsm#AUTO} (the default).
         *
         * @param size the side, odd and &gt;= 1, or {@link TiFgsm#AUTO}
         * @return this builder
         */
        public Builder kernelSize(int size) { this.size = size; return this; }

        /**
         * Sets the Gaussian kernel's width: it spans [-sigma, sigma] standard deviations.
         *
         * @param sigma the width, &gt; 0 (default 3)
         * @return this builder
         */
        public Builder kernelSigma(float sigma) { this.sigma = sigma; return this; }

        /**
         * Sets the probability of input diversity (TI-DIM), as in {@link DiFgsm}.
         *
         * @param p the probability, in [0, 1] (default 0)
         * @return this builder
         */
        public Builder diversityProb(float p) { this.p = p; return this; }

        /**
         * Sets the smallest resize ratio of the input diversity.
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
            if (size != AUTO && (size < 1 || size % 2 == 0))
                throw ParameterException.invalid("tifgsm", "kernelSize", size, "auto or an odd whole number >= 1");
            return build("tifgsm", TransferSettings.NONE.kernel(size, Checks.positive("tifgsm", "kernelSigma", sigma))
                    .diversity(Checks.within("tifgsm", "diversityProb", p, 0f, 1f), Checks.within("tifgsm", "resizeRate", rate, 0.01f, 1f)));
        }
    }
}
