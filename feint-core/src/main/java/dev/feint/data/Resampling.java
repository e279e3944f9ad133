package dev.feint.data;

/**
 * Separable resizing with a triangle filter whose support widens with the shrink factor, so a
 * downscale averages every input pixel it covers (PIL's antialiased bilinear). Plain Java
 * arithmetic in a fixed order: the same input gives the same bits on any machine.
 */
final class Resampling {
    private Resampling() {}

    /** {@code x} [c,h,w] resized to [c,oh,ow]. */
    static float[] resize(float[] x, int c, int h, int w, int oh, int ow) {
        Weights wx = weights(w, ow), wy = weights(h, oh);
        float[] tmp = new float[c * h * ow], out = new float[c * oh * ow];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int row = (ch * h + y) * w;
                for (int o = 0; o < ow; o++) tmp[(ch * h + y) * ow + o] = wx.apply(o, x, row, 1);
            }
            for (int o = 0; o < oh; o++)
                for (int xo = 0; xo < ow; xo++)
                    out[(ch * oh + o) * ow + xo] = wy.apply(o, tmp, ch * h * ow + xo, ow);
        }
        for (int i = 0; i < out.length; i++) out[i] = Math.min(1f, Math.max(0f, out[i]));
        return out;
    }

    /** For each output position: the first input position and the normalised weights from there. */
    private record Weights(int[] first, float[][] w) {
        float apply(int o, float[] x, int base, int stride) {
            float[] k = w[o];
            int p = base + first[o] * stride;
            float s = 0;
            for (int i = 0; i < k.length; i++) s += k[i] * x[p + i * stride];
            return s;
        }
    }

    private static Weights weights(int in, int out) {
        double scale = (double) in / out, support = Math.max(1.0, scale);
        int[] first = new int[out];
        float[][] w = new float[out][];
        for (int o = 0; o < out; o++) {
            double centre = (o + 0.5) * scale;
            int lo = Math.max(0, (int) Math.floor(centre - support)), hi = Math.min(in, (int) Math.ceil(centre + support));
            double[] k = new double[hi - lo];
            double sum = 0;
            for (int i = lo; i < hi; i++) sum += k[i - lo] = Math.max(0, 1 - Math.abs((i + 0.5 - centre) / support));
            float[] kf = new float[k.length];
            for (int i = 0; i < k.length; i++) kf[i] = (float) (k[i] / sum);
            first[o] = lo;
            w[o] = kf;
        }
        return new Weights(first, w);
    }
}
