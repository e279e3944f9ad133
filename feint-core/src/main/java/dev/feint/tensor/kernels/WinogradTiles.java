package dev.feint.tensor.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The input side of Winograd's 6x6-tile algorithms ({@link WinogradConv}: F(2x2, 5x5) and
 * F(4x4, 3x3)): how a conv output is cut into m x m blocks (m = 6 - kernel + 1), each read from a
 * 6x6 tile of the zero-padded channels-last input, and the input transform
 * V[xi][tile][channel] = (B^T d B)[xi], shared by the forward pass and the weight gradient. B
 * depends only on the interpolation points (0, 1, -1, 2, -2, infinity), so both kernel sizes use
 * the same one. The tiles of {@code images} images are numbered one image after another, so a
 * small map's product still has rows enough for the micro-kernel.
 *
 * <p>With a {@code group} of G > 1, G images are interleaved lane by lane in one padded input,
 * in[y][x][channel][image]: the transform, the same for every lane, then writes each tile's V as
 * the G images' rows of a packed micro-kernel sliver, V[xi][tile][channel][image], which the
 * products read as they are ({@link WinogradConv}).
 */
final class WinogradTiles {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int VL = S.length();
    static final int T = 6;

    final ConvGeometry g;
    /**
     * Block side m; tiles per image row and column; tiles of one image and of all images; images
     * interleaved per padded input and floats per padded pixel (cPad * group).
     */
    final int m, tilesH, tilesW, imageTiles, tiles, images, cPad, hp, wp, group, lanes;

    WinogradTiles(ConvGeometry g, int m) {
        this(g, m, 1);
    }

    WinogradTiles(ConvGeometry g, int m, int images) {
        this(g, m, images, 1);
    }

    /** Tiles for {@code images} padded inputs of {@code group} interleaved images each (group > 1: one input). */
    WinogradTiles(ConvGeometry g, int m, int images, int group) {
        if (group > 1 && images != 1) throw new IllegalArgumentException("interleaved groups of " + group + " take one padded input, got " + images);
        this.g = g;
        this.m = m;
        this.images = images;
        this.group = group;
        tilesH = (g.outH() + m - 1) / m;
        tilesW = (g.outW() + m - 1) / m;
        imageTiles = tilesH * tilesW;
        tiles = images * imageTiles;
        hp = m * tilesH + T - m;
        wp = m * tilesW + T - m;
        cPad = (g.c() + VL - 1) / VL * VL;
        lanes = cPad * group;
    }

    /** Floats of the padded input of all images and of V (T * T * vStride()). */
    int inSize() { return images * paddedSize(); }

    private int paddedSize() { return hp * wp * lanes; }

    int vStride() { return tiles * lanes; }

    /** V for image n of x, through the padded input {@code in}. */
    void transform(float[] x, int n, float[] in, float[] scratch, float[] v) {
        pad(x, false, n, 1, in);
        transform(in, 0, imageTiles, scratch, v, vStride());
    }

    /**
     * The padded inputs of images [n, n + count) of x (NCHW, or [n][h][w][c] with {@code
     * channelsLast}), one after another in {@code in}; with a group, its count images interleaved.
     */
    void pad(float[] x, boolean channelsLast, int n, int count, float[] in) {
        if (group > 1) {
            if (count != group) throw new IllegalArgumentException("an interleaved input takes " + group + " images, got " + count);
            padGroup(x, channelsLast, n, in);
            return;
        }
        for (int j = 0; j < count; j++)
            if (channelsLast) padChannelsLast(x, n + j, in, j * paddedSize());
            else pad(x, n + j, in, j * paddedSize());
    }

    /**
     * V[xi][tile - t0][channel] (xi's rows {@code vStride} floats apart) for the tiles [t0, t1) of
     * the padded images in {@code in}, numbered image by image.
     */
    void transform(float[] in, int t0, int t1, float[] scratch, float[] v, int vStride) {
        for (int t = t0; t < t1; t++) {
            int j = t / imageTiles, q = t % imageTiles, ty = q / tilesW, tx = q % tilesW;
            int base = j * paddedSize() + (m * ty * wp + m * tx) * lanes;
            for (int cv = 0; cv < lanes; cv += VL) inputTile(in, base + cv, scratch, v, (t - t0) * lanes + cv, vStride);
        }
    }

    /** in[off + y][x][channel] = x[n][channel][y - padTop][x - padLeft], zero outside (and in the padded channels). */
    void pad(float[] x, int n, float[] in, int off) {
        int c = g.c(), h = g.h(), w = g.w(), hw = h * w;
        java.util.Arrays.fill(in, off, off + paddedSize(), 0f);
        // Pixel by pixel, channels inner: sequential writes; the c read streams stay in L1 across a
        // row (channels outer wrote one float per cache line across a buffer larger than L1).
        for (int y = 0, src = n * c * hw; y < h; y++)
            for (int xx = 0, dst = off + ((y + g.padTop()) * wp + g.padLeft()) * cPad; xx < w; xx++, dst += cPad) {
                int s0 = src + y * w + xx;
                for (int ch = 0; ch < c; ch++) in[dst + ch] = x[s0 + ch * hw];
            }
    }

    /**
     * in[y][x][channel][j] = image n + j of x (j below the group), zero outside and in the padded
     * channels. Pixel by pixel, the images inner: each padded pixel's lanes are written in order
     * (the images outer wrote every cache line of the buffer once per image, group floats apart),
     * and only the border is zeroed when there are no padded channels (the rest is overwritten).
     */
    private void padGroup(float[] x, boolean channelsLast, int n, float[] in) {
        int c = g.c(), h = g.h(), w = g.w(), hw = h * w, top = g.padTop(), left = g.padLeft(), row = wp * lanes;
        if (c < cPad) java.util.Arrays.fill(in, 0, paddedSize(), 0f);
        else {
            java.util.Arrays.fill(in, 0, top * row, 0f);
            java.util.Arrays.fill(in, (top + h) * row, paddedSize(), 0f);
            for (int y = top; y < top + h; y++) {
                java.util.Arrays.fill(in, y * row, (y * wp + left) * lanes, 0f);
                java.util.Arrays.fill(in, (y * wp + left + w) * lanes, (y + 1) * row, 0f);
            }
        }
        int step = channelsLast ? 1 : hw;                     // from one channel to the next in x
        int[] src = new int[group];
        for (int y = 0; y < h; y++)
            for (int xx = 0, dst = ((y + top) * wp + left) * lanes; xx < w; xx++, dst += lanes) {
                int p = y * w + xx;
                for (int j = 0; j < group; j++) src[j] = channelsLast ? ((n + j) * hw + p) * c : (n + j) * c * hw + p;
                for (int ch = 0, d = dst; ch < c; ch++, d += group)
                    for (int j = 0, s = ch * step; j < group; j++) in[d + j] = x[src[j] + s];
            }
    }

    /** As {@link #pad} from x[n][y][x][channel]: whole pixel rows when no channel padding is needed. */
    private void padChannelsLast(float[] x, int n, float[] in, int off) {
        int c = g.c(), h = g.h(), w = g.w();
        java.util.Arrays.fill(in, off, off + paddedSize(), 0f);
        for (int y = 0, src = n * h * w * c; y < h; y++) {
            int dst = off + ((y + g.padTop()) * wp + g.padLeft()) * cPad;
            if (c == cPad) System.arraycopy(x, src + y * w * c, in, dst, w * c);
            else for (int xx = 0; xx < w; xx++) System.arraycopy(x, src + (y * w + xx) * c, in, dst + xx * cPad, c);
        }
    }

    /**
     * V[xi][tile][channels] = (B^T d B)[xi] for one tile and one vector of channels: B^T down each
     * column of the 6x6 input into the scratch, then along each row into V.
     */
    void inputTile(float[] in, int base, float[] s, float[] v, int vOff, int vStride) {
        int row = wp * lanes;
        for (int j = 0; j < T; j++) {
            int p = base + j * lanes;
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
