package dev.feint.junit;

import dev.feint.model.LoadedModel;
import dev.feint.model.Model;

/**
 * The entry point of Feint's robustness assertions, in AssertJ's style: a model, the data, the
 * attacks, then thresholds. The evaluation runs once, at the first threshold; a failed threshold
 * is an {@link AssertionError} whose message gives the figure, the threshold, the attacks and
 * eps, the worst classes and, inside a {@link RobustnessTest}, the path of the HTML report.
 *
 * <pre>{@code
 * import static dev.feint.junit.RobustnessAssertions.assertRobustness;
 *
 * assertRobustness(Models.load(Path.of("demo/models/fmnist-lenet-pgd.safetensors")))
 *         .on(Datasets.open(Path.of("demo/fashion-mnist-1k")), 1000)
 *         .under(AutoAttack.standard(Norm.LINF, 0.1))
 *         .hasRobustAccuracyAtLeast(0.60)
 *         .hasCleanAccuracyAtLeast(0.80);
 * }</pre>
 */
public final class RobustnessAssertions {
    private RobustnessAssertions() {}

    /**
     * Starts an assertion on a model read by {@link dev.feint.model.Models#load}.
     *
     * @param model the model
     * @return the assertion, without data or attacks yet
     */
    public static RobustnessAssert assertRobustness(LoadedModel model) { return new RobustnessAssert(dev.feint.eval.Evaluation.of(model)); }

    /**
     * Starts an assertion on a model built in code (named "model" in messages and reports).
     *
     * @param model the model
     * @return the assertion, without data or attacks yet
     */
    public static RobustnessAssert assertRobustness(Model model) { return new RobustnessAssert(dev.feint.eval.Evaluation.of(model)); }
}
