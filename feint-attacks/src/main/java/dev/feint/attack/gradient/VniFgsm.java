package dev.feint.attack.gradient;

import dev.feint.attack.AttackEntry;

/**
 * VNI-FGSM: {@link VmiFgsm}'s variance tuning on NI-FGSM, the gradient taken at the Nesterov
 * look-ahead {@code x + stepSize * decay * g}; the neighbours are sampled around the iterate.
 * Returns the last iterate.
 *
 * <p>Wang and He, "Enhancing the Transferability of Adversarial Attacks through Variance
 * Tuning", CVPR 2021, arXiv:2103.15571. Norm: Linf (L2 also accepted).
 *
 * <p>Parameters: as {@link VmiFgsm}: {@code eps} (required); {@code steps} (10);
 * {@code stepSize} (eps / steps); {@code decay} (1.0); {@code samples} (20); {@code beta}
 * (1.5); {@code norm} (linf); {@code loss} (ce); {@code seed} (0). Input x [n, c, h, w].
 *
 * <pre>{@code
 * Attack vni = VniFgsm.builder().eps(0.1f).samples(20).build();
 * AttackResult r = vni.run(surrogate, x, new Misclassification(labels));
 * }</pre>
 */
public final class VniFgsm {
    private VniFgsm() {}

    /** The registry entry: as VMI-FGSM's. */
    public static final AttackEntry ENTRY = VmiFgsm.entry("vnifgsm", true, "Nesterov momentum steps with variance tuning");

    /** {@return a builder with every default; {@code eps} is required} */
    public static VmiFgsm.Builder builder() { return new VmiFgsm.Builder("vnifgsm", true); }
}
