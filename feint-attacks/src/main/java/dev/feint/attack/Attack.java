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
    /** {@return the registry name: fgsm, pgd, cw, ...} */
    String name();

    /** {@return the norm perturbations are bounded (fixed-eps) or minimised (minimum-norm) in} */
    Norm norm();

    /** {@return the radius of the ball, or NaN for minimum-norm attacks} */
    float eps();

    /** {@return whether the attack searches for the smallest perturbation instead of staying in a ball} */
    default boolean minimumNorm() { return Float.isNaN(eps()); }

    /**
     * The same attack at another radius (fixed-eps attacks only).
     *
     * @param eps the new radius, in the units of {@link #norm()}
     * @return a new attack; this one is unchanged
     */
    Attack withEps(float eps);

    /** {@return the parameters with their values, JSON-ready, for reports} */
    Map<String, Object> parameters();

    /**
     * Attacks a batch.
     *
     * @param model the model (white-box attacks need a {@link dev.feint.model.DifferentiableModel})
     * @param x inputs [n, c, h, w] inside the model's bounds (left untouched)
     * @param criterion what counts as success per example (untargeted labels or targets)
     * @return the adversarial batch, success per example (re-verified), queries and norms
     */
    AttackResult run(Model model, Tensor x, Criterion criterion);
}
