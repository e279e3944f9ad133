package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.autograd.Reductions;
import dev.feint.model.Bounds;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What every attack shares: input checks, then {@link #perturb}, then the guarantees —
 * projection onto the eps-ball (fixed-eps attacks), clipping to the model's bounds, and success
 * re-verified with a fresh forward pass. Subclasses only write the search.
 */
public abstract class AttackBase implements Attack {
    /** The registry name, reported in results. */
    protected final String name;
    /** The threat model's norm. */
    protected final Norm norm;
    /** The radius, NaN for minimum-norm attacks. */
    protected final float eps;

    /**
     * eps = NaN for minimum-norm attacks.
     *
     * @param name the registry name
     * @param norm the norm
     * @param eps the radius, NaN for minimum-norm attacks
     */
    protected AttackBase(String name, Norm norm, float eps) {
        this.name = name;
        this.norm = norm;
        this.eps = eps;
    }

    @Override public final String name() { return name; }

    @Override public final Norm norm() { return norm; }

    @Override public final float eps() { return eps; }

    /**
     * The search: returns adversarial inputs (a new tensor, x left untouched).
     *
     * @param ctx the run's model access, with per-example accounting
     * @param x the inputs [n, c, h, w], inside the bounds
     * @param criterion what counts as success, and the gradient's sign
     * @return the adversarial inputs, before projection and clipping
     */
    protected abstract Tensor perturb(AttackContext ctx, Tensor x, Criterion criterion);

    /**
     * Attack-specific parameters for {@link #parameters()}.
     *
     * @param p the map to add {@code name -> value} entries to
     */
    protected abstract void describe(Map<String, Object> p);

    @Override public Attack withEps(float e) {
        throw new UnsupportedOperationException(name + " is a minimum-norm attack: it has no eps");
    }

    @Override public final Map<String, Object> parameters() {
        LinkedHashMap<String, Object> p = new LinkedHashMap<>();
        p.put("name", name);
        p.put("norm", norm.id());
        if (!minimumNorm()) p.put("eps", (double) eps);
        describe(p);
        return p;
    }

    @Override public final AttackResult run(Model model, Tensor x, Criterion criterion) {
        int[] s = model.inputShape();
        if (x.rank() != 4 || x.dim(1) != s[0] || x.dim(2) != s[1] || x.dim(3) != s[2])
            throw new FeintException(name + ": inputs " + x.shape() + " do not match the model's input [n, " + s[0] + ", "
                    + s[1] + ", " + s[2] + "]");
        int n = x.dim(0), d = model.inputSize(), k = model.numClasses();
        if (criterion.size() != n) throw new IllegalArgumentException(criterion.size() + " criterion rows for " + n + " inputs");
        for (int c : criterion.classes())
            if (c < 0 || c >= k) throw new FeintException((criterion.targeted() ? "target" : "label") + " class " + c
                    + " is outside the model's classes 0.." + (k - 1));
        Bounds b = model.bounds();
        if (!minimumNorm() && eps > norm.maxEps(b, d))
            throw new FeintException(name + ": eps " + eps + " exceeds the largest " + norm.id() + " distance "
                    + (float) norm.maxEps(b, d) + " within the model's bounds " + b);
        float[] x0 = x.data();
        for (float v : x0)
            if (!b.contains(v)) throw new FeintException(name + ": input value " + v + " is outside the model's bounds " + b);

        AttackContext ctx = new AttackContext(model, name, n, criterion.indices());
        Tensor adv = n == 0 ? x.copy() : perturb(ctx, x, criterion);
        float[] a = adv.data();
        if (a == x0) throw new IllegalStateException(name + " returned its input array");
        if (!minimumNorm()) norm.project(a, x0, n, d, eps);
        b.clamp(a, 0, a.length);
        return verify(model, x0, adv, criterion, ctx, n, d, k);
    }

    private AttackResult verify(Model model, float[] x0, Tensor adv, Criterion criterion, AttackContext ctx, int n, int d, int k) {
        Tensor logits = n == 0 ? Tensor.zeros(0, k) : model.logits(adv); // the check itself is not charged to the attack
        int[] pred = Reductions.argmaxLast(logits);
        float[] conf = new float[n], p = Model.softmax(logits).data();
        for (int i = 0; i < n; i++) conf[i] = p[i * k + pred[i]];
        float[] a = adv.data(), l0 = new float[n];
        for (int r = 0; r < n; r++) {
            int c = 0;
            for (int j = r * d; j < (r + 1) * d; j++) if (Math.abs(a[j] - x0[j]) > Norm.L0_TOLERANCE) c++;
            l0[r] = c;
        }
        return new AttackResult(name, norm, eps, adv, criterion.isAdversarial(pred), pred, conf,
                Norm.LINF.measureAll(a, x0, n, d), Norm.L2.measureAll(a, x0, n, d), l0, norm.measureAll(a, x0, n, d),
                ctx.queries(), ctx.gradients(), ctx.brokenBy(), ctx.stageSeconds());
    }
}
