package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.model.LossFunction;

import java.util.List;
import java.util.function.Function;

/**
 * A loss an attack follows, as a value: given the classes of a batch it yields the per-example
 * {@link LossFunction} to <em>increase</em>. The {@link Criterion} picks the form and so the
 * sign: {@link #untargeted} moves away from the labels, {@link #targeted} toward the targets
 * (by default minus the loss of the targets). Built in: {@link #CROSS_ENTROPY}, {@link #MARGIN},
 * {@link #DLR} (whose targeted form is the targeted DLR of Croce and Hein); a user's own with
 * {@link #of}.
 *
 * <pre>{@code
 * Loss mine = Loss.of("hinge", labels -> z -> Losses.marginPerExample(z, labels));
 * Attack pgd = Pgd.builder().eps(0.1f).loss(mine).build();
 * }</pre>
 */
public interface Loss {
    /** {@return the registry name (ce, margin, dlr, or a user's own)} */
    String name();

    /**
     * The quantity an untargeted attack increases: high when the labels lose.
     *
     * @param labels the true labels
     * @return the per-example quantity
     */
    LossFunction untargeted(int[] labels);

    /**
     * The quantity a targeted attack increases: high when the targets win; labels may be null.
     *
     * @param targets the target classes
     * @param labels the true labels, or null
     * @return the per-example quantity
     */
    default LossFunction targeted(int[] targets, int[] labels) { return untargeted(targets).negate(); }

    /** Cross-entropy of the label (or target): the loss of FGSM and PGD. */
    Loss CROSS_ENTROPY = of("ce", LossFunction::crossEntropy);

    /** Logit margin (C&amp;W's f6): unbounded, so it does not saturate on confident examples. */
    Loss MARGIN = of("margin", LossFunction::margin);

    /**
     * Difference of logits ratio (Croce and Hein, arXiv:2003.01690): invariant to shifting and
     * scaling the logits; needs 3 classes. Targeted: {@code -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4) / 2)},
     * which needs the true labels and 4 classes.
     */
    Loss DLR = new Loss() {
        @Override public String name() { return "dlr"; }

        @Override public LossFunction untargeted(int[] labels) { return LossFunction.dlr(labels); }

        @Override public LossFunction targeted(int[] targets, int[] labels) {
            if (labels == null) throw new FeintException("the targeted dlr loss needs the true labels (a criterion built with them)");
            return LossFunction.targetedDlr(labels, targets);
        }

        @Override public String toString() { return name(); }
    };

    /** The built-in losses, by {@link #name()}. */
    List<Loss> BUILT_IN = List.of(CROSS_ENTROPY, MARGIN, DLR);

    /**
     * A user's loss: {@code perClass} gives the quantity that rises as the given classes lose.
     *
     * @param name the loss's name, for reports
     * @param perClass gives the untargeted quantity for the given classes
     * @return the loss
     */
    static Loss of(String name, Function<int[], LossFunction> perClass) {
        return new Loss() {
            @Override public String name() { return name; }

            @Override public LossFunction untargeted(int[] labels) { return perClass.apply(labels); }

            @Override public String toString() { return name; }
        };
    }

    /**
     * A built-in loss by name: ce, margin or dlr.
     *
     * @param name ce, margin or dlr
     * @return the loss
     * @throws dev.feint.FeintException for any other name
     */
    static Loss parse(String name) {
        for (Loss l : BUILT_IN) if (l.name().equals(name)) return l;
        throw new FeintException("unknown loss '" + name + "' (expected ce, margin or dlr)");
    }
}
