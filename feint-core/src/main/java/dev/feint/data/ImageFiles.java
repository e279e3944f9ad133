package dev.feint.data;

import dev.feint.FeintException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decodes one image file through {@code javax.imageio} (PNG, JPEG, BMP, GIF, and whatever
 * plugins are on the class path) into [C,H,W] levels in [0,1]: C = 1 for grayscale images (the
 * stored levels, 8 or 16 bits), else 3 (sRGB; alpha is dropped, as PIL's {@code convert("RGB")}).
 * The declared width and height are read from the header and checked against
 * {@link #maxPixels} before anything is decoded, so a small file declaring a huge image (a
 * decompression bomb) is refused instead of filling the heap.
 */
final class ImageFiles {
    /** Largest image decoded: 2^25 pixels (e.g. 8192 x 4096), less when the heap is small ({@link #maxPixels}). */
    static final long MAX_PIXELS = 1L << 25;
    /** Heap per pixel while one image is decoded: the decoded image, its ARGB copy, 3 floats, a resize's buffers. */
    static final int BYTES_PER_PIXEL = 28;

    static {
        ImageIO.setUseCache(false); // decode in memory, never through temporary files
    }

    /** A decoded image. */
    record Decoded(int channels, int height, int width, float[] pixels) {
        int[] shape() { return new int[] {channels, height, width}; }
    }

    private ImageFiles() {}

    /** The file name suffixes ImageIO can read here (lower case), e.g. png, jpg, bmp, gif. */
    static Set<String> suffixes() {
        Set<String> s = new TreeSet<>();
        for (String x : ImageIO.getReaderFileSuffixes()) if (!x.isEmpty()) s.add(x.toLowerCase(Locale.ROOT));
        return s;
    }

    static Decoded decode(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            if (in == null) throw new FeintException(file + ": cannot open (expected a readable image file)");
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext())
                throw new FeintException(file + ": not an image format this installation reads (expected one of " + suffixes() + ")");
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0);
                long max = maxPixels();
                if (w < 1 || h < 1 || w * h > max)
                    throw new FeintException(file + ": declares " + w + " x " + h + " pixels (expected at least 1 and at most "
                            + max + " pixels; refused before decoding" + (max < MAX_PIXELS ? "; a larger heap (FEINT_HEAP) allows up to "
                            + MAX_PIXELS : "") + ")");
                return pixels(reader.read(0));
            } finally {
                reader.dispose();
            }
        } catch (FeintException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // decoders throw IIOException, but also IndexOutOfBounds and the like on corrupt data
            throw new FeintException(file + ": cannot decode (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + "; expected a valid image file)");
        }
    }

    /** {@link #MAX_PIXELS}, or fewer so that one image decoding on each worker thread fits the heap budget. */
    static long maxPixels() {
        return Math.min(MAX_PIXELS, MemoryBudget.limit() / Math.max(1, dev.feint.tensor.Parallel.threads()) / BYTES_PER_PIXEL);
    }

    private static Decoded pixels(BufferedImage img) {
        int w = img.getWidth(), h = img.getHeight(), hw = w * h;
        boolean gray = img.getColorModel().getNumColorComponents() == 1 && !(img.getColorModel() instanceof IndexColorModel);
        if (gray) {
            Raster r = img.getRaster();
            int bits = img.getColorModel().getComponentSize(0);
            int[] s = r.getSamples(0, 0, w, h, 0, new int[hw]);
            float[] out = new float[hw];
            if (bits == 8) for (int i = 0; i < hw; i++) out[i] = Pixels.level(s[i]);
            else for (int i = 0; i < hw; i++) out[i] = (float) (s[i] / ((1 << bits) - 1.0));
            return new Decoded(1, h, w, out);
        }
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] out = new float[3 * hw];
        for (int i = 0; i < hw; i++) {
            int p = argb[i];
            out[i] = Pixels.level(p >>> 16);
            out[hw + i] = Pixels.level(p >>> 8);
            out[2 * hw + i] = Pixels.level(p);
        }
        return new Decoded(3, h, w, out);
    }
}
