package dev.feint.attack.gradient;

import dev.feint.attack.AttackContext;
import dev.feint.attack.Loss;
import dev.feint.attack.Criterion;
import dev.feint.attack.Norm;
import dev.feint.autograd.Grad;
import dev.feint.autograd.Reductions;
import dev.feint.model.Bounds;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.LossFunction;
import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * The one projected-gradient loop behind FGSM, FGM, BIM, PGD, MI-FGSM, InvFGSM and the transfer
 * family (DI, TI, NI, SI, VMI, VNI: a {@link TransferGradient} replaces the plain gradient):
 * {@code x <- clip(project(x + direction * stepSize * unit(g)))} for {@code steps} steps,
 * optionally from a random start, with momentum (MI-FGSM), restarts, and keeping per example
 * the best iterate seen (successful first, then highest objective). Two batch buffers (iterate
 * and gradient) are reused across steps; only the model's own activations are allocated.
 */
final class GradientLoop {
    /**
     * direction = +1 ascends the criterion's objective, -1 descends it (InvFGSM); gaussianStart
     * > 0 starts from x + gaussianStart * N(0, 1) instead of uniformly in the ball (TRADES).
     */
    record Config(Norm norm, float eps, float stepSize, int steps, boolean randomStart, float gaussianStart, int restarts,
                  float momentum, boolean keepBest, Loss loss, float direction, long seed, TransferSettings transfer) {
        /** Without transfer settings: the plain gradient at each step. */
        Config(Norm norm, float eps, float stepSize, int steps, boolean randomStart, float gaussianStart, int restarts,
               float momentum, boolean keepBest, Loss loss, float direction, long seed) {
            this(norm, eps, stepSize, steps, randomStart, gaussianStart, restarts, momentum, keepBest, loss, direction, seed, null);
        }
    }

    private GradientLoop() {}

    static Tensor run(AttackContext ctx, Tensor x, Criterion crit, Config c) {
        int n = x.dim(0), d = ctx.d();
        Bounds b = ctx.bounds();
        float[] x0 = x.data(), cur = new float[n * d], grad = new float[n * d];
        float[] mom = c.momentum() > 0 ? new float[n * d] : null;
        float[] best = c.keepBest() ? new float[n * d] : null;
        double[] bestScore = new double[n];
        boolean[] bestOk = new boolean[n];
        java.util.Arrays.fill(bestScore, Double.NEGATIVE_INFINITY);
        LossFunction objective = crit.objective(c.loss());
        SplittableRandom[] rng = c.randomStart() ? ctx.randoms(c.seed()) : null; // one stream per example, across restarts
        Tensor xt = new Tensor(x.shape(), cur); // wraps cur: the iterate is updated in place
        TransferGradient tg = c.transfer() == null ? null : new TransferGradient(ctx, x, c, objective, mom);
        for (int r = 0; r < c.restarts(); r++) {
            System.arraycopy(x0, 0, cur, 0, cur.length);
            if (c.randomStart()) {
                if (c.gaussianStart() > 0) gaussianStart(cur, n, d, c.gaussianStart(), rng);
                else c.norm().randomStart(cur, x0, n, d, c.eps(), rng);
                c.norm().project(cur, x0, n, d, c.eps());
                b.clamp(cur, 0, cur.length);
            }
            if (mom != null) java.util.Arrays.fill(mom, 0f);
            for (int t = 0; t < c.steps(); t++) {
                float[] dir;
                if (tg != null) dir = tg.direction(cur, grad);
                else {
                    DifferentiableModel.Gradient g = ctx.gradient(xt, objective, grad, null);
                    if (best != null) keep(crit, g.logits(), g.loss(), cur, best, bestOk, bestScore, d);
                    dir = g.grad();
                }
                if (mom != null) dir = accumulate(mom, dir, c.momentum(), n, d);
                c.norm().ascend(cur, dir, n, d, c.direction() * c.stepSize());
                c.norm().project(cur, x0, n, d, c.eps());
                b.clamp(cur, 0, cur.length);
            }
            if (best != null) {
                Tensor z = ctx.logits(xt, null);
                float[] loss;
                try (var ng = Grad.noGrad()) {
                    loss = objective.apply(z).data();
                }
                keep(crit, z, loss, cur, best, bestOk, bestScore, d);
            }
        }
        return new Tensor(x.shape(), best != null ? best : cur.clone());
    }

    /** Copies rows of cur that beat the best so far: successful first, then higher objective. */
    private static void keep(Criterion crit, Tensor logits, float[] loss, float[] cur, float[] best, boolean[] ok,
                             double[] score, int d) {
        int[] pred = Reductions.argmaxLast(logits);
        for (int i = 0; i < pred.length; i++) {
            boolean adv = crit.isAdversarial(i, pred[i]);
            double s = Float.isNaN(loss[i]) ? Double.NEGATIVE_INFINITY : loss[i];
            if ((adv && !ok[i]) || (adv == ok[i] && s > score[i]) || score[i] == Double.NEGATIVE_INFINITY && !ok[i]) {
                ok[i] = adv;
                score[i] = s;
                System.arraycopy(cur, i * d, best, i * d, d);
            }
        }
    }

    private static void gaussianStart(float[] cur, int n, int d, float sigma, SplittableRandom[] rng) {
        for (int r = 0; r < n; r++)
            for (int i = r * d; i < (r + 1) * d; i++) {
                SplittableRandom g = rng[r];
                cur[i] += sigma * (float) (Math.sqrt(-2 * Math.log(1 - g.nextDouble())) * Math.cos(2 * Math.PI * g.nextDouble()));
            }
    }

    /** MI-FGSM: mom = mu * mom + g / ||g||_1 per example; returns mom as the step direction. */
    private static float[] accumulate(float[] mom, float[] g, float mu, int n, int d) {
        for (int r = 0; r < n; r++) {
            double s = 0;
            for (int i = r * d; i < (r + 1) * d; i++) s += Math.abs(g[i]);
            float inv = s > 0 ? (float) (1 / s) : 0f;
            for (int i = r * d; i < (r + 1) * d; i++) mom[i] = mu * mom[i] + g[i] * inv;
        }
        return mom;
    }
}
