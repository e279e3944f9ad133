package dev.feint.attack.gradient;

import java.util.SplittableRandom;

/**
 * DI-FGSM's random transformation of one image, as a linear map and its transpose: with
 * probability p, nearest-neighbour resize of the c x h x w image to rh x rw (rh uniform in
 * [floor(rate * h), h), rw in proportion) and zero-pad (the bounds' lower value) back to h x w
 * at a random offset; otherwise the identity. The output keeps the model's input size (the
 * paper enlarges to 330 px from 299 and lets the network accept it; a fixed-size classifier
 * cannot, so, as torchattacks does with its default rate 0.9, the image shrinks instead).
 */
final class InputDiversity {
    /** src[j] is the input coordinate copied to output coordinate j, or -1 (padding); null: identity. */
    private final int[] src;

    private InputDiversity(int[] src) { this.src = src; }

    /** Draws one transformation from rng (which is consumed the same way whatever the outcome's size). */
    static InputDiversity draw(int c, int h, int w, float p, float rate, SplittableRandom rng) {
        if (p <= 0f || !(rng.nextDouble() < p)) return new InputDiversity(null);
        int low = Math.max(1, (int) Math.floor(rate * h));
        int rh = low >= h ? h : low + rng.nextInt(h - low);
        int rw = Math.max(1, Math.min(w, Math.round((float) rh * w / h)));
        int top = rng.nextInt(h - rh + 1), left = rng.nextInt(w - rw + 1);
        int[] src = new int[c * h * w];
        java.util.Arrays.fill(src, -1);
        for (int ch = 0; ch < c; ch++)
            for (int i = 0; i < rh; i++)
                for (int j = 0; j < rw; j++) // PyTorch's 'nearest': source index floor(dst * in / out)
                    src[(ch * h + top + i) * w + left + j] = (ch * h + (int) ((long) i * h / rh)) * w + (int) ((long) j * w / rw);
        return new InputDiversity(src);
    }

    boolean identity() { return src == null; }

    /** out[off..off+d) = T(x[off..off+d)), padding with {@code pad}. */
    void apply(float[] x, float[] out, int off, int d, float pad) {
        if (src == null) {
            System.arraycopy(x, off, out, off, d);
            return;
        }
        for (int j = 0; j < d; j++) out[off + j] = src[j] < 0 ? pad : x[off + src[j]];
    }

    /** g[off..off+d) = T^T(gOut[off..off+d)): the gradient through the transformation. */
    void transpose(float[] gOut, float[] g, int off, int d) {
        if (src == null) {
            System.arraycopy(gOut, off, g, off, d);
            return;
        }
        java.util.Arrays.fill(g, off, off + d, 0f);
        for (int j = 0; j < d; j++) if (src[j] >= 0) g[off + src[j]] += gOut[off + j];
    }
}
