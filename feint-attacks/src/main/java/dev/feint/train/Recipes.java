package dev.feint.train;

import dev.feint.BadParameterException;
import dev.feint.nn.Network;

import java.util.List;

/** Builds a training objective by name, as {@code feint train --adv NAME} does. */
public final class Recipes {
    /** The recipe names {@link #create} takes, as {@code --adv} spells them. */
    public static final List<String> NAMES = List.of("none", "fgsm", "pgd", "fast", "trades", "advprop", "invfgsm");

    private Recipes() {}

    /**
     * Options; null means the recipe's default: eps 0.1, alpha 0.5 (fgsm), steps 7 (pgd), 5 (advprop)
     * or 10 (trades), step size 2.5 * eps / steps (pgd, advprop), eps / 4 (trades), 1.25 * eps
     * (fast), beta 6 (trades).
     *
     * @param eps the Linf radius
     * @param alpha FGSM training's clean-loss weight
     * @param steps the attack's steps
     * @param stepSize the attack's step
     * @param beta TRADES' weight of the KL term
     * @param seed the seed of random starts
     */
    public record Options(Float eps, Float alpha, Integer steps, Float stepSize, Float beta, long seed) {}

    /**
     * The objective of a recipe.
     *
     * @param name one of {@link #NAMES}
     * @param net the network (AdvProp adds its auxiliary BatchNorms)
     * @param o the options, null fields for defaults
     * @return the objective
     * @throws dev.feint.FeintException for an unknown name or a bad value
     */
    public static TrainingObjective create(String name, Network net, Options o) {
        float eps = o.eps() != null ? o.eps() : 0.1f;
        return switch (name) {
            case "none" -> new StandardObjective();
            case "fgsm" -> new FgsmTraining(eps, o.alpha() != null ? o.alpha() : 0.5f);
            case "pgd" -> {
                int steps = o.steps() != null ? o.steps() : 7;
                yield new PgdTraining("pgd", eps, steps, o.stepSize() != null ? o.stepSize() : 2.5f * eps / steps, o.seed());
            }
            case "fast" -> fast(eps, o.stepSize() != null ? o.stepSize() : 1.25f * eps, o.seed());
            case "trades" -> new TradesTraining(eps, o.steps() != null ? o.steps() : 10,
                    o.stepSize() != null ? o.stepSize() : eps / 4, o.beta() != null ? o.beta() : 6f, o.seed());
            case "advprop" -> {
                int steps = o.steps() != null ? o.steps() : 5;
                yield new AdvPropTraining(net, eps, steps, o.stepSize() != null ? o.stepSize() : 2.5f * eps / steps, o.seed());
            }
            case "invfgsm" -> new InvFgsmAugmentation(eps);
            default -> throw new BadParameterException("recipe", "must be one of " + String.join(", ", NAMES) + ", got '" + name + "'");
        };
    }

    /**
     * Fast-AT: FGSM from a uniform random start in the ball, one step of 1.25 eps.
     *
     * @param eps the Linf radius, in (0, 1]
     * @param stepSize the step (Fast-AT's 1.25 eps)
     * @param seed the seed of the random starts
     * @return the objective
     */
    public static TrainingObjective fast(float eps, float stepSize, long seed) {
        return new PgdTraining("fast", eps, 1, stepSize, seed);
    }

    static float checkEps(float eps) {
        if (!(eps > 0 && eps <= 1)) throw new BadParameterException("eps", "must be in (0, 1] for inputs in [0, 1], got " + eps);
        return eps;
    }

    /** A float as the decimal a person typed (0.1, not 0.10000000149). */
    static double num(float f) { return Double.parseDouble(Float.toString(f)); }

    /** The parameters of a recipe whose inner attack is PGD (pgd, fast, trades, advprop), for the record of a run. */
    static java.util.Map<String, Object> pgdParams(float eps, int steps, float stepSize) {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("eps", num(eps));
        m.put("steps", steps);
        m.put("stepSize", num(stepSize));
        return m;
    }
}
