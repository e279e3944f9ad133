package dev.feint.train;

import dev.feint.loss.Losses;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;

import java.util.Map;

/** Natural training: mean cross-entropy on clean inputs. */
public final class StandardObjective implements TrainingObjective {
    /** The objective; it keeps no state. */
    public StandardObjective() {}

    @Override public Tensor loss(Network net, Tensor x, int[] y) {
        Tensor logits = net.forward(x);
        LastLogits.put(logits);
        return Losses.crossEntropy(logits, y);
    }

    @Override public String name() { return "none"; }

    @Override public Map<String, Object> params() { return Map.of(); }
}
