package dev.feint.train;

import dev.feint.attack.gradient.InvFgsm;
import dev.feint.loss.Losses;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;

import java.util.Map;

/**
 * InvFGSM augmentation (Pervin et al. 2021, arXiv:2105.12106): each batch is trained together
 * with its inverse-FGSM copies {@code x - eps * sign(grad_x J(x, y))}, which lower the loss,
 * as extra training data: {@code (J(x, y) + J(x_inv, y)) / 2}.
 */
public final class InvFgsmAugmentation implements TrainingObjective {
    private final float eps;

    /**
     * The augmentation at this radius.
     *
     * @param eps the Linf radius, in (0, 1]
     * @throws dev.feint.FeintException when eps is out of range
     */
    public InvFgsmAugmentation(float eps) { this.eps = Recipes.checkEps(eps); }

    @Override public Tensor loss(Network net, Tensor x, int[] y) {
        Tensor inv = AdversarialBatch.craft(net, InvFgsm.builder().eps(eps).build(), x, y);
        Tensor clean = net.forward(x);
        LastLogits.put(clean);
        return Losses.crossEntropy(clean, y).add(Losses.crossEntropy(net.forward(inv), y)).mul(0.5f);
    }

    @Override public String name() { return "invfgsm"; }

    @Override public Map<String, Object> params() { return Map.of("eps", Recipes.num(eps)); }
}
