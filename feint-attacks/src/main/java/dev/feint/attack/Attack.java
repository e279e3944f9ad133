package dev.feint.attack;

import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

import java.util.Map;

/**
 * An adversarial attack on a batch. Fixed-epsilon attacks return perturbations inside the
 * eps-ball of {@link #norm()}; minimum-norm attacks ({@link #minimumNorm()}) search for the
 * smallest perturbation that succeeds and report its size. Either way the output is inside
 * the model's bounds and the success flags come from a fresh forward pass.
 */
public interface Attack {
    /** The registry name: fgsm, pgd, cw, ... */
    String name();

    /** The norm perturbations are bounded (fixed-eps) or minimised (minimum-norm) in. */
    Norm norm();

    /** The radius of the ball, or NaN for minimum-norm attacks. */
    float eps();

    default boolean minimumNorm() { return Float.isNaN(eps()); }

    /** The same attack at another radius (fixed-eps attacks only). */
    Attack withEps(float eps);

    /** The parameters, JSON-ready, for reports. */
    Map<String, Object> parameters();

    /** Attacks x [n, c, h, w] (left untouched) of {@code model} under {@code criterion}. */
    AttackResult run(Model model, Tensor x, Criterion criterion);
}
