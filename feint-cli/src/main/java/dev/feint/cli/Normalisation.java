package dev.feint.cli;

import dev.feint.data.Dataset;

/** Per-channel mean and std of a training set, stored in the model so inputs stay in [0, 1]. */
final class Normalisation {
    private Normalisation() {}

    static float[][] of(Dataset d) {
        int n = d.size(), c = d.exampleShape()[0], s = d.exampleShape()[1] * d.exampleShape()[2];
        float[] x = d.images().data();
        float[] mean = new float[c], std = new float[c];
        for (int ch = 0; ch < c; ch++) {
            double sum = 0, sq = 0;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < s; j++) {
                    double v = x[(i * c + ch) * s + j];
                    sum += v;
                    sq += v * v;
                }
            double m = sum / ((double) n * s);
            mean[ch] = (float) m;
            std[ch] = (float) Math.max(1e-3, Math.sqrt(Math.max(0, sq / ((double) n * s) - m * m)));
        }
        return new float[][] {mean, std};
    }
}
