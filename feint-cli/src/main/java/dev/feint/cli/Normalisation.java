package dev.feint.cli;

import dev.feint.data.Dataset;

/** Per-channel mean and std of a training set, stored in the model so inputs stay in [0, 1]. */
final class Normalisation {
    private Normalisation() {}

    /** Read in batches (a split is never expanded whole); each channel's sums run over examples in order, as before. */
    static float[][] of(Dataset d) {
        int n = d.size(), c = d.exampleShape()[0], s = d.exampleShape()[1] * d.exampleShape()[2];
        double[] sums = new double[c], sqs = new double[c];
        for (dev.feint.data.Batch b : dev.feint.data.Batches.inOrder(d, 256).prefetched().epoch(0)) {
            float[] x = b.x().data();
            for (int i = 0; i < b.size(); i++)
                for (int ch = 0; ch < c; ch++)
                    for (int j = 0; j < s; j++) {
                        double v = x[(i * c + ch) * s + j];
                        sums[ch] += v;
                        sqs[ch] += v * v;
                    }
        }
        float[] mean = new float[c], std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = sums[ch], sq = sqs[ch];
            double m = sum / ((double) n * s);
            mean[ch] = (float) m;
            std[ch] = (float) Math.max(1e-3, Math.sqrt(Math.max(0, sq / ((double) n * s) - m * m)));
        }
        return new float[][] {mean, std};
    }
}
