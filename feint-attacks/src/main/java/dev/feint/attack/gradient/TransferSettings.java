package dev.feint.attack.gradient;

import java.util.Map;

/**
 * How the transfer family replaces the plain gradient of a step (see {@link TransferGradient}):
 * input diversity with probability {@code diversityProb} (resize to a random size in
 * [resizeRate * h, h), pad back to h x w at a random offset), Gaussian smoothing with a
 * {@code kernelSize} kernel over [-kernelSigma, kernelSigma] (0: off), a Nesterov look-ahead,
 * {@code scales} copies x / 2^i, and variance tuning from {@code varianceSamples} neighbours
 * uniform in the ball of radius {@code varianceBeta * eps} (0: off).
 */
record TransferSettings(float diversityProb, float resizeRate, int kernelSize, float kernelSigma, boolean nesterov, int scales,
                        int varianceSamples, float varianceBeta) {
    /** Nothing on: the plain gradient (MI-FGSM when the loop has momentum). */
    static final TransferSettings NONE = new TransferSettings(0f, 0.9f, 0, 3f, false, 1, 0, 1.5f);

    TransferSettings diversity(float p, float rate) { return new TransferSettings(p, rate, kernelSize, kernelSigma, nesterov, scales, varianceSamples, varianceBeta); }

    TransferSettings kernel(int size, float sigma) { return new TransferSettings(diversityProb, resizeRate, size, sigma, nesterov, scales, varianceSamples, varianceBeta); }

    TransferSettings nesterov(boolean on) { return new TransferSettings(diversityProb, resizeRate, kernelSize, kernelSigma, on, scales, varianceSamples, varianceBeta); }

    TransferSettings scales(int m) { return new TransferSettings(diversityProb, resizeRate, kernelSize, kernelSigma, nesterov, m, varianceSamples, varianceBeta); }

    TransferSettings variance(int n, float beta) { return new TransferSettings(diversityProb, resizeRate, kernelSize, kernelSigma, nesterov, scales, n, beta); }

    /** The settings that are on, for reports. */
    void describe(Map<String, Object> p) {
        if (diversityProb > 0) {
            p.put("diversityProb", (double) diversityProb);
            p.put("resizeRate", (double) resizeRate);
        }
        if (kernelSize > 0) {
            p.put("kernelSize", (long) kernelSize);
            p.put("kernelSigma", (double) kernelSigma);
        }
        if (nesterov) p.put("nesterov", true);
        if (scales > 1) p.put("scales", (long) scales);
        if (varianceSamples > 0) {
            p.put("samples", (long) varianceSamples);
            p.put("beta", (double) varianceBeta);
        }
    }
}
