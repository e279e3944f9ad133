package dev.feint.attack.gradient;

import dev.feint.attack.AttackContext;
import dev.feint.model.Bounds;
import dev.feint.model.LossFunction;
import dev.feint.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * The step direction of the transfer family, in place of the plain gradient in
 * {@link GradientLoop}. One estimate at a point p is the mean over the scale copies
 * {@code lo + (p - lo) / 2^i}, i < scales, of the input gradient (chain rule included) through a
 * fresh input-diversity draw, then Gaussian-smoothed. The direction at x is that estimate at x,
 * or at the Nesterov look-ahead {@code x + stepSize * decay * m} (m the momentum scaled to a mean
 * |m| of about 1, as the reference code normalises by the mean, not the sum), plus the variance
 * term v of the previous step; v is then re-estimated as the mean estimate at
 * {@code varianceSamples} points uniform in the Linf ball of radius {@code varianceBeta * eps}
 * around x, minus the estimate just taken. Every point handed to the model is clamped to its
 * bounds. Random draws come from each example's (seed, index) stream, in a fixed order per row.
 */
final class TransferGradient {
    private final AttackContext ctx;
    private final TransferSettings t;
    private final LossFunction objective;
    private final float[] mom, variance, point, moved, gOut, acc, scaled, sum;
    private final int n, c, h, w, d;
    private final float lookahead, radius;
    private final Bounds b;
    private final GaussianSmoothing smoothing;
    private final SplittableRandom[] rng;
    private final Tensor movedT;

    TransferGradient(AttackContext ctx, Tensor x, GradientLoop.Config cfg, LossFunction objective, float[] mom) {
        this.ctx = ctx;
        this.t = cfg.transfer();
        this.objective = objective;
        this.mom = mom;
        this.n = x.dim(0);
        this.c = x.dim(1);
        this.h = x.dim(2);
        this.w = x.dim(3);
        this.d = c * h * w;
        this.b = ctx.bounds();
        this.lookahead = cfg.stepSize() * cfg.momentum() * d;
        this.radius = t.varianceBeta() * cfg.eps();
        int kernel = t.kernelSize() == TransferSettings.AUTO_KERNEL ? TransferSettings.autoKernel(h, w) : t.kernelSize();
        this.smoothing = kernel > 0 ? new GaussianSmoothing(kernel, t.kernelSigma()) : null;
        this.rng = ctx.randoms(cfg.seed());
        this.variance = t.varianceSamples() > 0 ? new float[n * d] : null;
        this.point = new float[n * d];
        this.moved = new float[n * d];
        this.gOut = new float[n * d];
        this.acc = new float[n * d];
        this.scaled = t.scales() > 1 ? new float[n * d] : null;
        this.sum = t.varianceSamples() > 0 ? new float[n * d] : null;
        this.movedT = new Tensor(x.shape(), moved);
    }

    /** Fills out with the step direction at cur (before the loop's momentum) and returns it. */
    float[] direction(float[] cur, float[] out) {
        System.arraycopy(cur, 0, point, 0, point.length);
        if (t.nesterov() && mom != null) {
            for (int i = 0; i < point.length; i++) point[i] += lookahead * mom[i];
            b.clamp(point, 0, point.length);
        }
        estimate(point, out);
        if (variance == null) return out;
        for (int i = 0; i < out.length; i++) { // use the previous v, then re-estimate it around cur
            float g = out[i];
            out[i] = g + variance[i];
            variance[i] = -g;
        }
        java.util.Arrays.fill(sum, 0f);
        for (int s = 0; s < t.varianceSamples(); s++) {
            for (int r = 0; r < n; r++)
                for (int i = r * d; i < (r + 1) * d; i++)
                    point[i] = b.clamp(cur[i] + (float) ((2 * rng[r].nextDouble() - 1) * radius));
            estimate(point, acc);
            for (int i = 0; i < sum.length; i++) sum[i] += acc[i];
        }
        float inv = 1f / t.varianceSamples();
        for (int i = 0; i < sum.length; i++) variance[i] += sum[i] * inv;
        return out;
    }

    /** into = the smoothed mean over scale copies of the gradient through input diversity, at p. */
    private void estimate(float[] p, float[] into) {
        int m = t.scales();
        float lo = b.lo();
        InputDiversity[] tr = new InputDiversity[n];
        for (int i = 0; i < m; i++) {
            float f = (float) Math.scalb(1.0, -i);
            for (int r = 0; r < n; r++) {
                tr[r] = InputDiversity.draw(c, h, w, t.diversityProb(), t.resizeRate(), rng[r]);
                int off = r * d;
                if (i == 0) tr[r].apply(p, moved, off, d, lo);
                else {
                    for (int j = off; j < off + d; j++) gOut[j] = lo + (p[j] - lo) * f;
                    tr[r].apply(gOut, moved, off, d, lo);
                }
            }
            float[] g = ctx.gradient(movedT, objective, gOut, null).grad();
            float[] dst = i == 0 ? into : scaled;
            for (int r = 0; r < n; r++) tr[r].transpose(g, dst, r * d, d);
            if (i > 0) for (int j = 0; j < into.length; j++) into[j] += f * scaled[j];
        }
        if (m > 1) for (int j = 0; j < into.length; j++) into[j] /= m;
        if (smoothing != null) smoothing.smooth(into, n, c, h, w);
    }
}
