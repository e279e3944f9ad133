package dev.feint.attack;

/**
 * The attacks' builders: {@link #of(String)} for any attack of the {@link AttackRegistry} (the one
 * list of attacks), and shorthands for the common ones. A builder is an {@link AttackSpec} with
 * fluent setters; {@link AttackBuilder#build()} makes the attack, and an evaluation takes the
 * builder as it is.
 *
 * <pre>{@code
 * Attack fgsm = Attacks.fgsm().eps(0.1).build();
 * AttackBuilder pgd = Attacks.pgd().eps(0.1).steps(20);
 * AttackBuilder square = Attacks.of("square").eps(0.1).queries(1000);
 * AttackBuilder aa = AutoAttack.standard(Norm.LINF, 0.1);
 * }</pre>
 */
public final class Attacks {
    private Attacks() {}

    /**
     * A builder for the registered attack {@code name}, every parameter at its default.
     *
     * @param name a registry name ({@link AttackRegistry#names()})
     * @return the builder
     * @throws dev.feint.FeintException for an unknown name, listing the known ones
     */
    public static AttackBuilder of(String name) { return new AttackBuilder(AttackSpec.of(name)); }

    /**
     * A builder starting from a spec (its parameters checked against the attack).
     *
     * @param spec e.g. {@code AttackSpec.parse("pgd:eps=0.1,steps=20")}
     * @return the builder
     */
    public static AttackBuilder of(AttackSpec spec) { return new AttackBuilder(spec); }

    /**
     * Parses the text form {@code name:k=v,...} ({@link AttackSpec#parse}).
     *
     * @param spec e.g. {@code "apgd:eps=0.1,loss=dlr"}
     * @return the builder
     */
    public static AttackBuilder parse(String spec) { return of(AttackSpec.parse(spec)); }

    /** {@return FGSM (Goodfellow et al., arXiv:1412.6572), one signed-gradient step; Linf} */
    public static AttackBuilder fgsm() { return of("fgsm"); }

    /** {@return PGD (Madry et al., arXiv:1706.06083); Linf by default, L2 and L1 with {@code norm}} */
    public static AttackBuilder pgd() { return of("pgd"); }

    /** {@return APGD (Croce and Hein, arXiv:2003.01690), step-size-free PGD} */
    public static AttackBuilder apgd() { return of("apgd"); }

    /** {@return DeepFool (Moosavi-Dezfooli et al., arXiv:1511.04599), minimum-norm; L2 by default} */
    public static AttackBuilder deepFool() { return of("deepfool"); }

    /** {@return Carlini-Wagner L2 (arXiv:1608.04644), minimum-norm} */
    public static AttackBuilder carliniWagner() { return of("cw"); }

    /** {@return the Square attack (Andriushchenko et al., arXiv:1912.00049), black-box, scores only} */
    public static AttackBuilder square() { return of("square"); }

    /** {@return the one-pixel attack (Su et al., arXiv:1710.08864), black-box, differential evolution} */
    public static AttackBuilder onePixel() { return of("onepixel"); }

    /**
     * AutoAttack (Croce and Hein, arXiv:2003.01690), the standard version.
     *
     * @param norm {@link Norm#LINF}, {@link Norm#L2} or {@link Norm#L1}
     * @param eps the radius
     * @return the builder; e.g. {@code .steps(20).queries(500)} for a cheaper run
     */
    public static AttackBuilder autoAttack(Norm norm, double eps) { return AutoAttack.standard(norm, eps); }
}
