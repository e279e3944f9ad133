package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The input side of Winograd F(2x2, 5x5) ({@link WinogradConv}): how a conv output is cut into
 * 2x2 blocks, each read from a 6x6 tile of the zero-padded channels-last input, and the input
 * transform V[xi][tile][channel] = (B^T d B)[xi], shared by the forward pass and the weight
 * gradient.
 */
final class WinogradTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    static final int T = 6, M = 2;

    final ConvGeometry g;
    final int tilesH, tilesW, tiles, cPad, hp, wp;

    WinogradTiles(ConvGeometry g) {
        this.g = g;
        tilesH = (g.outH() + M - 1) / M;
        tilesW = (g.outW() + M - 1) / M;
        tiles = tilesH * tilesW;
        hp = M * tilesH + 4;
        wp = M * tilesW + 4;
        cPad = (g.c() + VL - 1) / VL * VL;
    }

    /** Floats of the padded input and of V (T * T * vStride()). */
    int inSize() { return hp * wp * cPad; }

    int vStride() { return tiles * cPad; }

    /** V for image n of x, through the padded input {@code in}. */
    void transform(float[] x, int n, float[] in, float[] scratch, float[] v) {
        pad(x, n, in);
        for (int ty = 0; ty < tilesH; ty++)
            for (int tx = 0; tx < tilesW; tx++)
                for (int cv = 0; cv < cPad; cv += VL)
                    inputTile(in, (M * ty * wp + M * tx) * cPad + cv, scratch, v, (ty * tilesW + tx) * cPad + cv, vStride());
    }

    /** in[y][x][channel] = x[n][channel][y - padTop][x - padLeft], zero outside (and in the padded channels). */
    void pad(float[] x, int n, float[] in) {
        int c = g.c(), h = g.h(), w = g.w(), hw = h * w;
        java.util.Arrays.fill(in, 0, hp * wp * cPad, 0f);
        // Pixel by pixel, channels inner: sequential writes; the c read streams stay in L1 across a
        // row (channels outer wrote one float per cache line across a buffer larger than L1).
        for (int y = 0, src = n * c * hw; y < h; y++)
            for (int xx = 0, dst = ((y + g.padTop()) * wp + g.padLeft()) * cPad; xx < w; xx++, dst += cPad) {
                int s0 = src + y * w + xx;
                for (int ch = 0; ch < c; ch++) in[dst + ch] = x[s0 + ch * hw];
            }
    }

    /**
     * V[xi][tile][channels] = (B^T d B)[xi] for one tile and one vector of channels: B^T down each
     * column of the 6x6 input into the scratch, then along each row into V.
     */
    void inputTile(float[] in, int base, float[] s, float[] v, int vOff, int vStride) {
        int row = wp * cPad;
        for (int j = 0; j < T; j++) {
            int p = base + j * cPad;
            FloatVector d0 = FloatVector.fromArray(S, in, p), d1 = FloatVector.fromArray(S, in, p + row);
            FloatVector d2 = FloatVector.fromArray(S, in, p + 2 * row), d3 = FloatVector.fromArray(S, in, p + 3 * row);
            FloatVector d4 = FloatVector.fromArray(S, in, p + 4 * row), d5 = FloatVector.fromArray(S, in, p + 5 * row);
            bt(d0, d1, d2, d3, d4, d5, s, j * VL, T * VL);
        }
        for (int i = 0; i < T; i++) {
            int p = i * T * VL;
            FloatVector d0 = FloatVector.fromArray(S, s, p), d1 = FloatVector.fromArray(S, s, p + VL);
            FloatVector d2 = FloatVector.fromArray(S, s, p + 2 * VL), d3 = FloatVector.fromArray(S, s, p + 3 * VL);
            FloatVector d4 = FloatVector.fromArray(S, s, p + 4 * VL), d5 = FloatVector.fromArray(S, s, p + 5 * VL);
            bt(d0, d1, d2, d3, d4, d5, v, vOff + i * T * vStride, vStride);
        }
    }

    /** dst[off + k * stride] = (B^T d)[k], k = 0..5. */
    private static void bt(FloatVector d0, FloatVector d1, FloatVector d2, FloatVector d3, FloatVector d4, FloatVector d5,
                           float[] dst, int off, int stride) {
        FloatVector s12 = d1.add(d2), s34 = d3.add(d4), m21 = d2.sub(d1), m34 = d3.sub(d4), m42 = d4.sub(d2), m31 = d3.sub(d1);
        d0.mul(4f).add(d4).sub(d2.mul(5f)).intoArray(dst, off);
        s12.mul(4f).sub(s34).intoArray(dst, off + stride);
        m21.mul(4f).add(m34).intoArray(dst, off + 2 * stride);
        m31.mul(2f).add(m42).intoArray(dst, off + 3 * stride);
        m42.sub(m31.mul(2f)).intoArray(dst, off + 4 * stride);
        d1.mul(4f).add(d5).sub(d3.mul(5f)).intoArray(dst, off + 5 * stride);
    }
}
