package dev.feint.attack.gradient;

import java.util.Map;

/**
 * How the transfer family replaces the plain gradient of a step (see {@link TransferGradient}):
 * input diversity with probability {@code diversityProb} (resize to a random size in
 * [resizeRate * h, h), pad back to h x w at a random offset), Gaussian smoothing with a
 * {@code kernelSize} kernel over [-kernelSigma, kernelSigma] (0: off; {@link #AUTO_KERNEL}: sized
 * to the image by {@link #autoKernel}), a Nesterov look-ahead,
 * {@code scales} copies x / 2^i, and variance tuning from {@code varianceSamples} neighbours
 * uniform in the ball of radius {@code varianceBeta * eps} (0: off).
 */
record TransferSettings(float diversityProb, float resizeRate, int kernelSize, float kernelSigma, boolean nesterov, int scales,
                        int varianceSamples, float varianceBeta) {
    /** kernelSize chosen from the image: see {@link #autoKernel}. */
    static final int AUTO_KERNEL = -1;

    /**
     * The kernel for an h x w image: the largest odd size at most a quarter of the shorter side,
     * between 3 and the paper's 15 (which it reaches from 60 px up, so 224-299 px images get the
     * paper's kernel; 28 px MNIST and 32 px CIFAR images get 7).
     */
    static int autoKernel(int h, int w) {
        int k = Math.min(15, Math.max(3, Math.min(h, w) / 4));
        return k % 2 == 0 ? k - 1 : k;
    }

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
        if (kernelSize != 0) {
            p.put("kernelSize", kernelSize == AUTO_KERNEL ? "auto" : (Object) (long) kernelSize);
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
