package dev.feint.train;

import dev.feint.attack.gradient.Pgd;
import dev.feint.loss.Losses;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;

import java.util.Map;

/**
 * PGD adversarial training (Madry et al., ICLR 2018, arXiv:1706.06083): minimise the loss on
 * Linf PGD examples (random start, {@code steps} steps of {@code stepSize}). With one step of
 * 1.25 eps from a random start this is Fast-AT (Wong, Rice and Kolter, ICLR 2020,
 * arXiv:2001.03994), see {@link Recipes#fast}.
 */
public final class PgdTraining implements TrainingObjective {
    private final String name;
    private final float eps, stepSize;
    private final int steps;
    private final long seed;

    /**
     * The objective at these values.
     *
     * @param name the recipe's name in metadata (pgd, fast)
     * @param eps the Linf radius, in (0, 1]
     * @param steps PGD steps, &gt;= 1
     * @param stepSize the step
     * @param seed the seed of the random starts
     * @throws dev.feint.BadParameterException naming the parameter of a bad value
     */
    public PgdTraining(String name, float eps, int steps, float stepSize, long seed) {
        this.name = name;
        this.eps = Recipes.checkEps(eps);
        if (steps < 1) throw new dev.feint.BadParameterException("steps", "must be >= 1, got " + steps);
        if (!(stepSize > 0)) throw new dev.feint.BadParameterException("stepSize", "must be > 0, got " + stepSize);
        this.steps = steps;
        this.stepSize = stepSize;
        this.seed = seed;
    }

    @Override public Tensor loss(Network net, Tensor x, int[] y) {
        Pgd pgd = Pgd.builder().eps(eps).steps(steps).stepSize(stepSize).randomStart(true).seed(AdversarialBatch.seed(seed)).build();
        Tensor adv = AdversarialBatch.craft(net, pgd, x, y);
        Tensor logits = net.forward(adv);
        LastLogits.put(logits); // training accuracy is then accuracy on the adversarial batch
        return Losses.crossEntropy(logits, y);
    }

    @Override public String name() { return name; }

    @Override public Map<String, Object> params() {
        return Recipes.pgdParams(eps, steps, stepSize);
    }
}
