package dev.feint.attack.gradient;

import dev.feint.attack.AttackArgs;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.internal.DecisionMargin;

import java.util.ArrayList;
import java.util.List;

/**
 * The builder values of the attacks that minimise {@code c * f(x') + distance} over a binary
 * search on c, with C&amp;W's hinge f ({@link CarliniWagnerL2}, {@link ElasticNet}):
 * binarySearchSteps (9), steps and learningRate (the attack's defaults), initialConst (1e-3),
 * confidence (kappa, 0), margin ({@link DecisionMargin#DEFAULT}).
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class ConstantSearchBuilder<B extends ConstantSearchBuilder<B>> {
    int binarySteps = 9, steps;
    float lr, initialConst = 1e-3f, confidence = 0f, margin = DecisionMargin.DEFAULT;

    ConstantSearchBuilder(int steps, float lr) {
        this.steps = steps;
        this.lr = lr;
    }

    abstract B self();

    /**
     * Sets the binary-search steps over the constant c.
     *
     * @param n steps, &gt;= 1 (default 9)
     * @return this builder
     */
    public B binarySearchSteps(int n) { this.binarySteps = n; return self(); }

    /**
     * Sets the optimiser's steps per value of c.
     *
     * @param steps steps, &gt;= 1 (default: the attack's, in its class header)
     * @return this builder
     */
    public B steps(int steps) { this.steps = steps; return self(); }

    /**
     * Sets the optimiser's learning rate.
     *
     * @param lr the learning rate, &gt; 0 (default: the attack's, in its class header)
     * @return this builder
     */
    public B learningRate(float lr) { this.lr = lr; return self(); }

    /**
     * Sets the first value of c, the weight of the misclassification term.
     *
     * @param c the constant, &gt; 0 (default 1e-3)
     * @return this builder
     */
    public B initialConst(float c) { this.initialConst = c; return self(); }

    /**
     * Sets kappa, the logit margin beyond which f stops rewarding the attack.
     *
     * @param kappa the confidence, &gt;= 0 (default 0)
     * @return this builder
     */
    public B confidence(float kappa) { this.confidence = kappa; return self(); }

    /**
     * Sets the relative logit margin by which the wrong (or target) class must win ({@link DecisionMargin}).
     *
     * @param m the margin, &gt;= 0 (default {@link DecisionMargin#DEFAULT})
     * @return this builder
     */
    public B margin(float m) { this.margin = m; return self(); }

    /** Checks these values for the attack {@code name}, in this order: binarySearchSteps, steps, learningRate, initialConst, confidence, margin. */
    void check(String name) {
        Checks.atLeast(name, "binarySearchSteps", binarySteps, 1);
        Checks.steps(name, steps);
        Checks.positive(name, "learningRate", lr);
        Checks.positive(name, "initialConst", initialConst);
        Checks.nonNegative(name, "confidence", confidence);
        DecisionMargin.check(name, margin);
    }

    /**
     * The registry parameters: the attack's own, then steps, binarySearchSteps, learningRate,
     * initialConst, confidence and margin.
     */
    static List<AttackParam> params(List<AttackParam> own, String steps, String stepsMeaning, String lr, String lrMeaning) {
        List<AttackParam> all = new ArrayList<>(own);
        all.addAll(List.of(AttackParam.whole("steps", steps, stepsMeaning), AttackParam.whole("binarySearchSteps", "9", "binary-search steps over c"),
                AttackParam.number("learningRate", lr, lrMeaning), AttackParam.number("initialConst", "0.001", "first c"),
                AttackParam.number("confidence", "0", "kappa"), AttackParam.margin()));
        return List.copyOf(all);
    }

    /** Reads these values from a spec (the registry's factory), in the order of {@link #params}. */
    B read(AttackArgs a) {
        a.whole("steps", this::steps);
        a.whole("binarySearchSteps", this::binarySearchSteps);
        a.number("learningRate", this::learningRate);
        a.number("initialConst", this::initialConst);
        a.number("confidence", this::confidence);
        a.number("margin", this::margin);
        return self();
    }
}
