package dev.feint.io;

import dev.feint.io.internal.AtomicFiles;

import dev.feint.tensor.Tensor;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Images in [0,1] as PNG files for reports and figures. Accepts {@code [C,H,W]} with C = 1
 * (grayscale) or 3 (RGB), or {@code [1,C,H,W]} (a one-example batch). Values are clamped to
 * [0,1]; each pixel becomes a {@code scale x scale} block so 28x28 digits are visible.
 */
public final class Png {
    private Png() {}

    /**
     * Writes an image as a PNG file, atomically.
     *
     * @param file where to write
     * @param image {@code [H,W]}, {@code [C,H,W]} or {@code [1,C,H,W]} with values in [0, 1]
     * @param scale the side of the block each pixel becomes, at least 1
     */
    public static void write(Path file, Tensor image, int scale) {
        BufferedImage img = toImage(image, scale);
        AtomicFiles.write(file, out -> writePng(img, out));
    }

    /**
     * The PNG bytes, e.g. to embed in an HTML report as a data URI.
     *
     * @param image {@code [H,W]}, {@code [C,H,W]} or {@code [1,C,H,W]} with values in [0, 1]
     * @param scale the side of the block each pixel becomes, at least 1
     * @return the encoded PNG
     */
    public static byte[] encode(Tensor image, int scale) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writePng(toImage(image, scale), out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /**
     * As {@link #encode(Tensor, int)}, with each pixel of {@code outlined} ({row, col} of the
     * unscaled image) framed by a white ring just outside its block and a black ring outside that:
     * one of the two contrasts with any colour, on grayscale and RGB images alike, and the pixel
     * itself is left as it is.
     *
     * @param image {@code [H,W]}, {@code [C,H,W]} or {@code [1,C,H,W]} with values in [0, 1]
     * @param scale the side of the block each pixel becomes, at least 1
     * @param outlined the pixels to frame, as {row, col}
     * @return the encoded PNG
     */
    public static byte[] encode(Tensor image, int scale, List<int[]> outlined) {
        BufferedImage img = toImage(image, scale);
        WritableRaster r = img.getRaster();
        for (int[] p : outlined) {
            ring(r, p[0] * scale - 2, p[1] * scale - 2, scale + 4, 0);
            ring(r, p[0] * scale - 1, p[1] * scale - 1, scale + 2, 255);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            writePng(img, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The border of the {@code side x side} square at (y0, x0) set to {@code level} in every band, clipped to the image. */
    private static void ring(WritableRaster r, int y0, int x0, int side, int level) {
        for (int k = 0; k < side; k++) {
            dot(r, y0, x0 + k, level);
            dot(r, y0 + side - 1, x0 + k, level);
            dot(r, y0 + k, x0, level);
            dot(r, y0 + k, x0 + side - 1, level);
        }
    }

    private static void dot(WritableRaster r, int y, int x, int level) {
        if (y < 0 || x < 0 || y >= r.getHeight() || x >= r.getWidth()) return;
        for (int b = 0; b < r.getNumBands(); b++) r.setSample(x, y, b, level);
    }

    /**
     * Places images side by side, top-aligned, with {@code gap} columns of white between them
     * (e.g. original | perturbation | adversarial). Grayscale images are promoted to RGB when
     * mixed with RGB ones. Returns a {@code [C,H,W]} tensor to pass to {@link #write}.
     *
     * @param images the images, at least one
     * @param gap white columns between neighbours, at least 0
     * @return the strip, {@code [C,H,W]}
     * @throws IllegalArgumentException if there is no image or the gap is negative
     */
    public static Tensor strip(List<Tensor> images, int gap) {
        if (images.isEmpty()) throw new IllegalArgumentException("strip needs at least one image");
        if (gap < 0) throw new IllegalArgumentException("gap must be >= 0, got " + gap);
        int c = 1, h = 0, w = 0;
        for (Tensor t : images) {
            int[] d = chw(t);
            c = Math.max(c, d[0]);
            h = Math.max(h, d[1]);
            w += d[2];
        }
        w += gap * (images.size() - 1);
        float[] out = new float[c * h * w];
        Arrays.fill(out, 1f);
        int x0 = 0;
        for (Tensor t : images) {
            int[] d = chw(t);
            float[] src = t.data();
            for (int ch = 0; ch < c; ch++) {
                int sc = d[0] == 1 ? 0 : ch;
                for (int y = 0; y < d[1]; y++)
                    System.arraycopy(src, (sc * d[1] + y) * d[2], out, (ch * h + y) * w + x0, d[2]);
            }
            x0 += d[2] + gap;
        }
        return Tensor.of(out, c, h, w);
    }

    static BufferedImage toImage(Tensor image, int scale) {
        if (scale < 1) throw new IllegalArgumentException("scale must be >= 1, got " + scale);
        int[] d = chw(image);
        int c = d[0], h = d[1], w = d[2];
        if ((long) h * scale * w * scale > Integer.MAX_VALUE)
            throw new IllegalArgumentException("image too large: " + h + "x" + w + " at scale " + scale);
        float[] px = image.data();
        int sw = w * scale, sh = h * scale;
        // Raster samples, not setRGB: setRGB on a gray image applies a colour-space conversion
        // that would change the stored levels.
        BufferedImage img = new BufferedImage(sw, sh, c == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
        WritableRaster raster = img.getRaster();
        int[] band = new int[sw * sh];
        for (int ch = 0; ch < c; ch++) {
            int base = ch * h * w;
            for (int y = 0; y < h; y++) {
                int rowStart = y * scale * sw;
                for (int x = 0; x < w; x++) Arrays.fill(band, rowStart + x * scale, rowStart + (x + 1) * scale, level(px[base + y * w + x]));
                for (int r = 1; r < scale; r++) System.arraycopy(band, rowStart, band, rowStart + r * sw, sw);
            }
            raster.setSamples(0, 0, sw, sh, ch, band);
        }
        return img;
    }

    /** [C,H,W] of an image tensor, accepting a leading batch dimension of 1. */
    private static int[] chw(Tensor t) {
        int[] d = t.dims();
        if (d.length == 4 && d[0] == 1) d = new int[] {d[1], d[2], d[3]};
        if (d.length != 3 || (d[0] != 1 && d[0] != 3))
            throw new IllegalArgumentException("image must be [C,H,W] or [1,C,H,W] with C = 1 or 3, got " + t.shape());
        return d;
    }

    private static int level(float v) {
        if (!(v > 0f)) return 0; // also NaN
        if (v >= 1f) return 255;
        return Math.round(v * 255f);
    }

    private static void writePng(BufferedImage img, OutputStream out) throws IOException {
        if (!ImageIO.write(img, "png", out)) throw new IOException("no PNG writer in this JDK");
    }
}
