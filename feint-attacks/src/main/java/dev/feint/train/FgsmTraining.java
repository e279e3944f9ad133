package dev.feint.train;

import dev.feint.attack.gradient.Fgsm;
import dev.feint.loss.Losses;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Goodfellow, Shlens and Szegedy's adversarial objective (ICLR 2015, arXiv:1412.6572):
 * {@code alpha * J(x, y) + (1 - alpha) * J(x + eps * sign(grad_x J(x, y)), y)}, alpha default 0.5.
 */
public final class FgsmTraining implements TrainingObjective {
    private final float eps, alpha;

    /**
     * The objective at these values.
     *
     * @param eps the Linf radius, in (0, 1]
     * @param alpha the weight of the clean loss, in [0, 1] (default 0.5)
     * @throws dev.feint.FeintException naming the parameter of a bad value
     */
    public FgsmTraining(float eps, float alpha) {
        this.eps = Recipes.checkEps(eps);
        if (!(alpha >= 0 && alpha <= 1)) throw new dev.feint.BadParameterException("alpha", "must be in [0, 1], got " + alpha);
        this.alpha = alpha;
    }

    @Override public Tensor loss(Network net, Tensor x, int[] y) {
        Tensor adv = AdversarialBatch.craft(net, Fgsm.builder().eps(eps).build(), x, y);
        Tensor clean = net.forward(x);
        LastLogits.put(clean);
        return Losses.crossEntropy(clean, y).mul(alpha).add(Losses.crossEntropy(net.forward(adv), y).mul(1 - alpha));
    }

    @Override public String name() { return "fgsm"; }

    @Override public Map<String, Object> params() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("eps", Recipes.num(eps));
        m.put("alpha", Recipes.num(alpha));
        return m;
    }
}
