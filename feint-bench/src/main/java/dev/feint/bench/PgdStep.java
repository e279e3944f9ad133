package dev.feint.bench;

/**
 * One L-inf PGD step on one batch, for any engine's input gradient: {@code x_adv += alpha *
 * sign(grad)}, then projection on the eps-ball around x and on [0, 1]. The buffers are reused
 * across steps, so a timed step is the engine's gradient plus one pass over the batch.
 */
final class PgdStep {
    /** The engine's gradient of the loss with respect to {@code xadv} (may reuse a buffer). */
    interface Gradient { float[] of(float[] xadv); }

    private final float[] xadv, lo, hi;
    private final float alpha;
    private final Gradient gradient;

    PgdStep(float[] x, float eps, float alpha, Gradient gradient) {
        this.alpha = alpha;
        this.gradient = gradient;
        xadv = x.clone();
        lo = new float[x.length];
        hi = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            lo[i] = Math.max(0f, x[i] - eps);
            hi[i] = Math.min(1f, x[i] + eps);
        }
    }

    void step() {
        float[] g = gradient.of(xadv);
        for (int i = 0; i < xadv.length; i++) xadv[i] = Math.min(hi[i], Math.max(lo[i], xadv[i] + alpha * Math.signum(g[i])));
    }
}
