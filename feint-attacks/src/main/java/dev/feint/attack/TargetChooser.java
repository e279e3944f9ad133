package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Picks the target class of each example for a targeted attack. {@code indices} are the
 * examples' positions in the dataset, so a seeded random choice does not depend on how the
 * data is batched. {@link #NONE} (-1) marks an example that cannot be targeted (its label is
 * the fixed target class); runners leave such examples unattacked.
 */
@FunctionalInterface
public interface TargetChooser {
    /** The target of an example that cannot be targeted (its label is the fixed target). */
    int NONE = -1;

    /**
     * Targets for examples with these labels, clean logits [n, k] and dataset indices.
     *
     * @param labels the true labels
     * @param cleanLogits the clean logits [n, k]
     * @param indices the dataset positions
     * @return one target per example, or {@link #NONE}
     */
    int[] choose(int[] labels, Tensor cleanLogits, int[] indices);

    /**
     * Targets given per dataset index; a target equal to its label is an error.
     *
     * @param targetsByIndex the target of each dataset position
     * @return the chooser
     */
    static TargetChooser given(int[] targetsByIndex) {
        int[] t = targetsByIndex.clone();
        return (labels, logits, idx) -> {
            int[] out = new int[labels.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = t[idx[i]];
                if (out[i] == labels[i])
                    throw new FeintException("target class " + out[i] + " equals the true label of example " + idx[i]
                            + " (a targeted attack needs a different class)");
            }
            return out;
        };
    }

    /**
     * One class for all; examples already labelled with it get {@link #NONE}.
     *
     * @param target the class
     * @return the chooser
     */
    static TargetChooser fixed(int target) {
        if (target < 0) throw new FeintException("target class " + target + " is negative");
        return (labels, logits, idx) -> {
            int k = logits.dim(1);
            if (target >= k) throw new FeintException("target class " + target + " is outside the model's classes 0.." + (k - 1));
            int[] out = new int[labels.length];
            for (int i = 0; i < out.length; i++) out[i] = labels[i] == target ? NONE : target;
            return out;
        };
    }

    /**
     * Uniform over the classes other than the label, seeded per dataset index.
     *
     * @param seed the seed
     * @return the chooser
     */
    static TargetChooser random(long seed) {
        return (labels, logits, idx) -> {
            int k = logits.dim(1);
            int[] out = new int[labels.length];
            for (int i = 0; i < out.length; i++) {
                int r = AttackContext.stream(seed, idx[i]).nextInt(k - 1);
                out[i] = r >= labels[i] ? r + 1 : r;
            }
            return out;
        };
    }

    /** {@return a chooser of the class with the lowest clean logit (Kurakin et al.'s "least likely"), never the label} */
    static TargetChooser leastLikely() {
        return (labels, logits, idx) -> {
            int k = logits.dim(1);
            float[] z = logits.data();
            int[] out = new int[labels.length];
            for (int i = 0; i < out.length; i++) {
                int best = -1;
                for (int j = 0; j < k; j++)
                    if (j != labels[i] && (best < 0 || z[i * k + j] < z[i * k + best])) best = j;
                out[i] = best;
            }
            return out;
        };
    }

    /**
     * {@code random}, {@code least-likely} or a class number, as the --target flag spells it.
     *
     * @param spec random, least-likely or a class number
     * @param seed the seed of random targets
     * @return the chooser
     * @throws dev.feint.FeintException for anything else
     */
    static TargetChooser parse(String spec, long seed) {
        String s = spec == null ? "" : spec.trim();
        if (s.equals("random")) return random(seed);
        if (s.equals("least-likely")) return leastLikely();
        try {
            return fixed(Integer.parseInt(s));
        } catch (NumberFormatException e) {
            throw new dev.feint.BadParameterException("target", "must be a class number, random or least-likely, got '" + spec + "'");
        }
    }
}
