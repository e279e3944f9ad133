package dev.feint.data;

import dev.feint.FeintException;

/** Conversions of stored pixel values to [0,1] floats, the same for every reader (so formats agree bit for bit). */
final class Pixels {
    private static final float[] LEVELS = new float[256];

    static {
        for (int i = 0; i < 256; i++) LEVELS[i] = i / 255f;
    }

    private Pixels() {}

    /** A byte 0..255 as its level {@code v / 255f}. */
    static float level(int unsignedByte) { return LEVELS[unsignedByte & 0xff]; }

    /**
     * Copies one example of {@code c*h*w} unsigned bytes from {@code src[from..]} to {@code out[off..]}
     * as levels, converting {@code [H,W,C]} order to {@code [C,H,W]} when {@code channelsLast}.
     */
    static void expand(byte[] src, int from, boolean channelsLast, int c, int h, int w, float[] out, int off) {
        int hw = h * w;
        if (!channelsLast || c == 1) {
            for (int i = 0; i < c * hw; i++) out[off + i] = LEVELS[src[from + i] & 0xff];
            return;
        }
        for (int p = 0; p < hw; p++)
            for (int ch = 0; ch < c; ch++) out[off + ch * hw + p] = LEVELS[src[from + p * c + ch] & 0xff];
    }

    /** As {@link #expand} for floats already scaled, checking each is in [0,1] (NaN included in the refusal). */
    static void copyChecked(float[] src, int from, boolean channelsLast, int c, int h, int w, float[] out, int off,
                            String origin, int example) {
        int hw = h * w;
        for (int i = 0; i < c * hw; i++) {
            float v = src[from + i];
            if (!(v >= 0f && v <= 1f))
                throw new FeintException(origin + ": value " + v + " in example " + example
                        + " is outside [0, 1] (expected float data scaled to [0, 1], or uint8 0..255)");
            int dst = channelsLast && c > 1 ? (i % c) * hw + i / c : i;
            out[off + dst] = v;
        }
    }
}
