package dev.feint.train;

import dev.feint.BadParameterException;
import dev.feint.attack.gradient.Pgd;
import dev.feint.loss.Losses;
import dev.feint.nn.BatchNormRouting;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;

import java.util.Map;

/**
 * AdvProp (Xie et al., CVPR 2020, arXiv:1911.09665): adversarial examples are crafted and
 * trained on through auxiliary BatchNorm layers, clean examples through the main ones; every
 * other weight is shared. {@code loss = CE(f_main(x), y) + CE(f_aux(x_adv), y)}. Only the main
 * BatchNorms are saved, so the trained model evaluates with them.
 */
public final class AdvPropTraining implements TrainingObjective {
    private final float eps, stepSize;
    private final int steps;
    private final long seed;

    /**
     * Adds auxiliary BatchNorms to {@code net} and sets the PGD that crafts on them.
     *
     * @param net the network, with Feint BatchNorm layers
     * @param eps the Linf radius, in (0, 1]
     * @param steps PGD steps, &gt;= 1 (default 5)
     * @param stepSize the PGD step (default 2.5 * eps / steps)
     * @param seed the seed of the random starts
     * @throws dev.feint.FeintException naming the parameter of a bad value, or when the network has no BatchNorm to route
     */
    public AdvPropTraining(Network net, float eps, int steps, float stepSize, long seed) {
        this.eps = Recipes.checkEps(eps);
        if (steps < 1) throw new BadParameterException("steps", "must be >= 1, got " + steps);
        this.steps = steps;
        this.stepSize = stepSize;
        this.seed = seed;
        if (net.architecture().isGraph())
            throw new BadParameterException("recipe", "advprop needs Feint's BatchNorm layers (their auxiliary copies); imported graph '"
                    + net.architecture().name() + "' keeps its BatchNormalization nodes without one (use pgd, trades, fgsm, fast or invfgsm)");
        if (BatchNormRouting.addAuxiliary(net.body()) == 0)
            throw new BadParameterException("recipe", "advprop needs an architecture with BatchNorm layers (e.g. cnn-bn or resnet-mini); '"
                    + net.architecture().name() + "' has none");
    }

    @Override public Tensor loss(Network net, Tensor x, int[] y) {
        Tensor adv;
        try (var aux = BatchNormRouting.useAuxiliary()) {
            Pgd pgd = Pgd.builder().eps(eps).steps(steps).stepSize(stepSize).seed(AdversarialBatch.seed(seed)).build();
            adv = AdversarialBatch.craftAsIs(net, pgd, x, y);
        }
        Tensor clean = net.forward(x);
        LastLogits.put(clean);
        Tensor advLoss;
        try (var aux = BatchNormRouting.useAuxiliary()) {
            advLoss = Losses.crossEntropy(net.forward(adv), y);
        }
        return Losses.crossEntropy(clean, y).add(advLoss);
    }

    @Override public String name() { return "advprop"; }

    @Override public Map<String, Object> params() {
        return Recipes.pgdParams(eps, steps, stepSize);
    }
}
