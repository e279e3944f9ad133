package dev.feint.attack;

/** Which per-example loss gradient attacks follow; the {@link Criterion} gives it a sign. */
public enum AttackLoss {
    /** Cross-entropy of the label (or target): the loss of FGSM and PGD. */
    CROSS_ENTROPY,
    /** Logit margin (C&W's f6): unbounded, so it does not saturate on confident examples. */
    MARGIN
}
