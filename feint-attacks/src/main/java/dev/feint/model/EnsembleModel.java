package dev.feint.model;

import dev.feint.FeintException;
import dev.feint.autograd.Elementwise;
import dev.feint.autograd.Reductions;
import dev.feint.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * Several models as one: the mean of their logits (the logit ensemble of Dong et al.,
 * arXiv:1710.06081, and of transfer attacks from several surrogates). Its gradient goes through
 * each member's own {@link DifferentiableModel#gradient}, so members may be any differentiable
 * models: with {@code c = d loss / d mean(z)} from the averaged logits, the input gradient is
 * {@code sum_m J_m^T c / M}, each term the gradient of the linear loss {@code <z_m, c> / M}.
 * This costs each member one forward pass and one forward-backward pass per gradient.
 *
 * <pre>{@code
 * DifferentiableModel surrogate = EnsembleModel.of(List.of(NetworkModel.of(lenet), NetworkModel.of(mlp)));
 * AttackResult r = DiFgsm.builder().eps(0.1f).build().run(surrogate, x, new Misclassification(labels));
 * }</pre>
 */
public final class EnsembleModel implements DifferentiableModel {
    private final List<Model> members;

    private EnsembleModel(List<Model> members) { this.members = members; }

    /**
     * The ensemble of {@code members}: they must agree on input shape, classes and bounds;
     * gradients need every member differentiable.
     *
     * @param members the models, at least one
     * @return their ensemble (mean logits)
     * @throws FeintException when there are none or they disagree
     */
    public static EnsembleModel of(List<? extends Model> members) {
        if (members.isEmpty()) throw new FeintException("an ensemble needs at least one model");
        Model first = members.getFirst();
        for (int i = 1; i < members.size(); i++) {
            Model m = members.get(i);
            if (!Arrays.equals(m.inputShape(), first.inputShape()) || m.numClasses() != first.numClasses() || !m.bounds().equals(first.bounds()))
                throw new FeintException("ensemble member " + i + " (input " + Arrays.toString(m.inputShape()) + ", " + m.numClasses()
                        + " classes, bounds " + m.bounds() + ") does not match member 0 (input " + Arrays.toString(first.inputShape())
                        + ", " + first.numClasses() + " classes, bounds " + first.bounds() + ")");
        }
        return new EnsembleModel(List.copyOf(members));
    }

    /** {@return the members, in order} */
    public List<Model> members() { return members; }

    @Override public Tensor logits(Tensor x) {
        Tensor mean = null;
        for (Model m : members) {
            Tensor z = m.logits(x);
            if (mean == null) mean = z.copy();
            else {
                float[] a = mean.data(), b = z.data();
                for (int i = 0; i < a.length; i++) a[i] += b[i];
            }
        }
        float[] a = mean.data();
        float inv = 1f / members.size();
        for (int i = 0; i < a.length; i++) a[i] *= inv;
        return mean;
    }

    @Override public Gradient gradient(Tensor x, LossFunction loss, float[] into) {
        for (Model m : members)
            if (!(m instanceof DifferentiableModel))
                throw new FeintException("the ensemble has a member without gradients (" + m.getClass().getSimpleName() + ")");
        Tensor mean = logits(x);
        Tensor leaf = new Tensor(mean.shape(), mean.data().clone()).requiresGrad(true);
        Tensor l = loss.apply(leaf);
        if (l.rank() != 1 || l.dim(0) != x.dim(0))
            throw new IllegalArgumentException("loss must be per example [" + x.dim(0) + "], got " + l.shape());
        l.sum().backward();
        float[] c = leaf.grad() != null ? leaf.grad().clone() : new float[mean.size()];
        float inv = 1f / members.size();
        for (int i = 0; i < c.length; i++) c[i] *= inv;
        Tensor ct = new Tensor(mean.shape(), c);
        float[] out = into != null ? into : new float[x.size()];
        Arrays.fill(out, 0f);
        float[] g = new float[x.size()];
        LossFunction linear = z -> Reductions.sum(Elementwise.mul(z, ct), 1, false);
        for (Model m : members) {
            ((DifferentiableModel) m).gradient(x, linear, g);
            for (int i = 0; i < out.length; i++) out[i] += g[i];
        }
        return new Gradient(mean, l.detach().data(), out);
    }

    @Override public int numClasses() { return members.getFirst().numClasses(); }

    @Override public Bounds bounds() { return members.getFirst().bounds(); }

    @Override public int[] inputShape() { return members.getFirst().inputShape(); }
}
