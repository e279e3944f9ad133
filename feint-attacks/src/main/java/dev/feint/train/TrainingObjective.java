package dev.feint.train;

import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;

import java.util.Map;

/**
 * What one training step minimises for a batch: plain cross-entropy, or an adversarial recipe
 * that builds perturbed inputs first. The network is in training mode when this is called.
 */
public interface TrainingObjective {
    /**
     * The scalar loss for the batch (with a graph to the parameters).
     *
     * @param net the network, in training mode
     * @param x the batch [n, c, h, w]
     * @param y its labels
     * @return the scalar loss
     */
    Tensor loss(Network net, Tensor x, int[] y);

    /** {@return short name stored in the model metadata ("none", "pgd", ...)} */
    String name();

    /** {@return parameters stored in the metadata next to the name} */
    Map<String, Object> params();
}
