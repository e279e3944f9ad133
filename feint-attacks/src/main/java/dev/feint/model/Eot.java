package dev.feint.model;

import dev.feint.FeintException;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/**
 * Expectation over transformation (Athalye, Carlini and Wagner, arXiv:1802.00420): a view of a
 * randomised model whose logits, losses and input gradients are the means over {@code samples}
 * calls, so a gradient attack follows the expected loss rather than one random draw. For a
 * deterministic model it only costs {@code samples} times as much. Used by AutoAttack's
 * {@code rand} version (20 samples); any attack can run on it.
 *
 * <pre>{@code
 * DifferentiableModel m = Eot.of(randomisedModel, 20);
 * AttackResult r = Apgd.builder().eps(0.1f).build().run(m, x, new Misclassification(y));
 * }</pre>
 */
public final class Eot implements DifferentiableModel {
    private final DifferentiableModel model;
    private final int samples;

    private Eot(DifferentiableModel model, int samples) {
        this.model = model;
        this.samples = samples;
    }

    /**
     * The mean over {@code samples} calls of a differentiable model.
     *
     * @param model a differentiable model whose outputs are random (e.g. a random transformation first)
     * @param samples calls averaged per query, at least 1
     * @return the averaged model
     * @throws FeintException when the model is black-box or samples is below 1
     */
    public static Eot of(Model model, int samples) {
        if (!(model instanceof DifferentiableModel dm))
            throw new FeintException("expectation over transformation needs gradients, but the model is black-box");
        if (samples < 1) throw new FeintException("eot: parameter samples = " + samples + ", expected a whole number >= 1");
        return new Eot(dm, samples);
    }

    /** {@return the calls averaged per query} */
    public int samples() { return samples; }

    @Override public Tensor logits(Tensor x) {
        float[] sum = null;
        for (int s = 0; s < samples; s++) sum = add(sum, model.logits(x).data());
        return new Tensor(Shape.of(x.dim(0), numClasses()), scale(sum));
    }

    @Override public Gradient gradient(Tensor x, LossFunction loss, float[] into) {
        float[] logits = null, losses = null, grad = null;
        for (int s = 0; s < samples; s++) {
            Gradient g = model.gradient(x, loss, null);
            logits = add(logits, g.logits().data());
            losses = add(losses, g.loss());
            grad = add(grad, g.grad());
        }
        scale(grad);
        if (into != null) System.arraycopy(grad, 0, into, 0, grad.length);
        return new Gradient(new Tensor(Shape.of(x.dim(0), numClasses()), scale(logits)), scale(losses), into != null ? into : grad);
    }

    @Override public int numClasses() { return model.numClasses(); }

    @Override public Bounds bounds() { return model.bounds(); }

    @Override public int[] inputShape() { return model.inputShape(); }

    private static float[] add(float[] sum, float[] v) {
        if (sum == null) return v.clone();
        for (int i = 0; i < v.length; i++) sum[i] += v[i];
        return sum;
    }

    private float[] scale(float[] v) {
        for (int i = 0; i < v.length; i++) v[i] /= samples;
        return v;
    }
}
