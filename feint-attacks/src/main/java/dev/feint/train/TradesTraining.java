package dev.feint.train;

import dev.feint.attack.Loss;
import dev.feint.attack.Misclassification;
import dev.feint.attack.Norm;
import dev.feint.attack.gradient.Pgd;
import dev.feint.autograd.Grad;
import dev.feint.autograd.Reductions;
import dev.feint.autograd.Softmax;
import dev.feint.loss.Losses;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;

import java.util.Map;

/**
 * TRADES (Zhang et al., ICML 2019, arXiv:1901.08573): {@code CE(f(x), y) + beta * KL(f(x) || f(x'))},
 * where x' maximises the KL term inside the Linf eps-ball (PGD from x + 0.001 N(0, 1)).
 * Defaults as the paper: beta 6, 10 steps of eps/4.
 */
public final class TradesTraining implements TrainingObjective {
    private final float eps, stepSize, beta;
    private final int steps;
    private final long seed;

    /**
     * The objective at these values.
     *
     * @param eps the Linf radius, in (0, 1]
     * @param steps PGD steps, &gt;= 1 (default 10)
     * @param stepSize the step (default eps / 4)
     * @param beta the weight of the KL term, &gt;= 0 (default 6)
     * @param seed the seed of the random starts
     * @throws dev.feint.BadParameterException naming the parameter of a bad value
     */
    public TradesTraining(float eps, int steps, float stepSize, float beta, long seed) {
        this.eps = Recipes.checkEps(eps);
        if (steps < 1) throw new dev.feint.BadParameterException("steps", "must be >= 1, got " + steps);
        if (!(beta >= 0)) throw new dev.feint.BadParameterException("beta", "must be >= 0, got " + beta);
        this.steps = steps;
        this.stepSize = stepSize;
        this.beta = beta;
        this.seed = seed;
    }

    /** Mean over rows of KL(p || softmax(z)), p fixed probabilities [n, k] (given as logits of p). */
    private static Tensor kl(Tensor cleanLogits, Tensor advLogits, boolean perExample) {
        Tensor p = Softmax.softmax(cleanLogits);
        Tensor terms = p.mul(Softmax.logSoftmax(cleanLogits).sub(Softmax.logSoftmax(advLogits)));
        Tensor rows = Reductions.sum(terms, 1, false);
        return perExample ? rows : rows.mean();
    }

    @Override public Tensor loss(Network net, Tensor x, int[] y) {
        boolean training = net.body().isTraining();
        net.eval();
        Tensor adv;
        try {
            adv = craft(net, x);
        } finally {
            if (training) net.train();
        }
        Tensor clean = net.forward(x);
        LastLogits.put(clean);
        return Losses.crossEntropy(clean, y).add(kl(clean, net.forward(adv), false).mul(beta));
    }

    /** The shared PGD loop on the KL term: from x + 0.001 N(0, 1), the last iterate (as the paper). */
    private Tensor craft(Network net, Tensor x) {
        Tensor fixed;
        try (var ng = Grad.noGrad()) {
            fixed = net.forward(x);
        }
        Tensor target = fixed.detach();
        Loss kl = Loss.of("trades-kl", labels -> z -> kl(target, z, true));
        Pgd pgd = Pgd.builder().norm(Norm.LINF).eps(eps).steps(steps).stepSize(stepSize).gaussianStart(0.001f).keepBest(false)
                .loss(kl).seed(AdversarialBatch.seed(seed)).build();
        return pgd.run(NetworkModel.asIs(net), x, new Misclassification(new int[x.dim(0)])).adversarial().detach();
    }

    @Override public String name() { return "trades"; }

    @Override public Map<String, Object> params() {
        Map<String, Object> m = Recipes.pgdParams(eps, steps, stepSize);
        m.put("beta", Recipes.num(beta));
        return m;
    }
}
