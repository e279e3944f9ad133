package dev.feint.train;

import dev.feint.attack.Attack;
import dev.feint.attack.Misclassification;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;

/**
 * Runs an attack against the network being trained. By default in eval mode (dropout off,
 * BatchNorm running statistics), so crafting examples neither draws dropout masks nor moves
 * running statistics; the training mode is restored afterwards.
 */
final class AdversarialBatch {
    private AdversarialBatch() {}

    static Tensor craft(Network net, Attack attack, Tensor x, int[] y) {
        boolean training = net.body().isTraining();
        net.eval();
        try {
            return attack.run(NetworkModel.asIs(net), x, new Misclassification(y)).adversarial().detach();
        } finally {
            if (training) net.train();
        }
    }

    /** Crafts in the network's current mode (AdvProp: through the auxiliary BatchNorms, training statistics). */
    static Tensor craftAsIs(Network net, Attack attack, Tensor x, int[] y) {
        return attack.run(NetworkModel.asIs(net), x, new Misclassification(y)).adversarial().detach();
    }

    /** A seed for this batch's attack randomness: same run, same step, same bits (also after --resume). */
    static long seed(long runSeed) {
        return runSeed * 0x9E3779B97F4A7C15L + Steps.current();
    }
}
