package dev.feint.attack.blackbox;

import dev.feint.attack.Attack;
import dev.feint.attack.Criterion;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

/** An attack whose threat model is a number of changed pixels (all channels of a pixel count once). */
public interface PixelAttack extends Attack {
    /** {@return pixels the attack may change per example} */
    int pixels();

    /**
     * {@link #run} plus the changed pixels of every example, read off the verified output.
     *
     * @param model the model, queried for logits only
     * @param x the inputs [n, c, h, w]
     * @param criterion what counts as success
     * @return the result with every example's changed pixels
     */
    default PixelAttackResult runPixels(Model model, Tensor x, Criterion criterion) {
        return PixelAttackResult.of(run(model, x, criterion), x);
    }
}
