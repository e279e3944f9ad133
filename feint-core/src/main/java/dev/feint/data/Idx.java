package dev.feint.data;

import dev.feint.FeintException;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reader for IDX files (the MNIST / Fashion-MNIST format), raw or gzip-compressed (detected by
 * the 0x1f8b magic, not the name). Only unsigned-byte data is read: images (magic 0x00000803,
 * dims N,H,W) and labels (0x00000801, dim N). Headers are untrusted: the declared size is
 * bounded before anything is allocated, a raw file must have exactly the declared bytes, and a
 * gzip stream is read incrementally (memory grows with the data actually present) and must end
 * exactly where the header says. {@link #header} reads only the header, so a pair of files can
 * be checked against each other before any data is read.
 */
final class Idx {
    /** The magic of an image file: unsigned bytes, rank 3. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** The magic of a label file: unsigned bytes, rank 1. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Largest data section accepted (1 GiB; MNIST's training images are 47 MB). */
    public static final long MAX_DATA_BYTES = 1L << 30;

    /**
     * Unsigned-byte images, row-major {@code [count, rows, cols]}.
     *
     * @param count the number of images
     * @param rows the height of each
     * @param cols the width of each
     * @param pixels all pixels, image after image
     */
    public record Images(int count, int rows, int cols, byte[] pixels) {}

    private Idx() {}

    /**
     * A checked header: the dimensions (bounded by {@link #MAX_DATA_BYTES}), whether the file is
     * gzip, and for a raw file that its size is exactly header plus data.
     *
     * @param file the file
     * @param magic its magic number ({@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC})
     * @param dims its dimensions, count first
     * @param gzip whether the file is gzip-compressed
     */
    public record Header(Path file, int magic, int[] dims, boolean gzip) {
        /** {@return the number of items (images or labels)} */
        public int count() { return dims[0]; }

        /** {@return the size of the data section, in bytes (one byte per element)} */
        public long dataBytes() {
            long n = 1;
            for (int d : dims) n *= d;
            return n;
        }

        int headerBytes() { return 4 + 4 * dims.length; }
    }

    /**
     * Reads a whole image file into memory (tests and small sets; datasets use {@link #images}).
     *
     * @param file the IDX image file, raw or gzip
     * @return its images
     * @throws dev.feint.FeintException if the file is malformed or truncated
     */
    public static Images readImages(Path file) {
        Header h = header(file, IMAGES_MAGIC);
        return new Images(h.dims[0], h.dims[1], h.dims[2], data(h));
    }

    /**
     * Labels, each checked to be in {@code [0, numClasses)}.
     *
     * @param file the IDX label file, raw or gzip
     * @param numClasses the number of classes
     * @return the labels
     * @throws dev.feint.FeintException if the file is malformed or a label is out of range
     */
    public static int[] readLabels(Path file, int numClasses) {
        return labels(header(file, LABELS_MAGIC), numClasses);
    }

    /**
     * The labels a checked label header describes, each checked to be in {@code [0, numClasses)}.
     *
     * @param h the label file's header, from {@link #header}
     * @param numClasses the number of classes
     * @return the labels
     */
    public static int[] labels(Header h, int numClasses) {
        byte[] data = data(h);
        int[] labels = new int[data.length];
        for (int i = 0; i < labels.length; i++) {
            int v = data[i] & 0xff;
            if (v >= numClasses)
                throw fail(h.file, "label " + v + " at index " + i + " is out of range (expected 0.."
                        + (numClasses - 1) + " for " + numClasses + " classes)");
            labels[i] = v;
        }
        return labels;
    }

    /**
     * The images a checked image header describes, as a source read a batch at a time: a raw
     * file is read at offsets (nothing is held in memory), a gzip file (which cannot be read at
     * an offset) is decompressed once into bytes, refused first when its declared size is more
     * than {@code MemoryBudget} allows.
     *
     * @param h the image file's header, from {@link #header}
     * @return the images as a source
     * @throws IllegalArgumentException if {@code h} is not an image header
     */
    public static ExampleSource images(Header h) {
        if (h.magic != IMAGES_MAGIC) throw new IllegalArgumentException("not an image header: " + h);
        int[] shape = {1, h.dims[1], h.dims[2]};
        if (!h.gzip)
            return new RecordFile(h.file.toString(), java.util.List.of(new RecordFile.Segment(h.file, h.headerBytes(), h.count())),
                    shape, (long) h.dims[1] * h.dims[2], 0, RecordFile.Dtype.U8, false);
        MemoryBudget.require(h.file, h.dataBytes(), "gzip data cannot be read in batches from disk: gunzip the file to stream it");
        return new ByteStore(h.file.toString(), data(h), shape, false);
    }

    /**
     * Reads and checks the header only (the first 4 + 4 * rank bytes, decompressed if gzip).
     *
     * @param file the IDX file
     * @param magic the magic expected
     * @return the checked header
     * @throws dev.feint.FeintException if the magic differs or the sizes do not match the file
     */
    public static Header header(Path file, int magic) {
        String kind = magic == IMAGES_MAGIC ? "image" : "label";
        int rank = magic & 0xff;
        try (InputStream in = open(file)) {
            byte[] head = in.readNBytes(4 + 4 * rank);
            if (head.length < 4 || intAt(head, 0) != magic)
                throw fail(file, "not an IDX " + kind + " file: magic "
                        + (head.length < 4 ? "missing (file has " + head.length + " bytes)" : hex(intAt(head, 0)))
                        + " (expected " + hex(magic) + ")");
            if (head.length < 4 + 4 * rank)
                throw fail(file, "truncated header: " + head.length + " bytes (expected " + (4 + 4 * rank) + ")");
            int[] dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                long d = Integer.toUnsignedLong(intAt(head, 4 + 4 * i));
                size *= d; // each d < 2^32 and size <= MAX_DATA_BYTES (2^30) before: no overflow
                if (size > MAX_DATA_BYTES || d > Integer.MAX_VALUE)
                    throw fail(file, "header declares dimensions " + describeDims(head, rank) + " = more than "
                            + MAX_DATA_BYTES + " bytes (expected at most " + MAX_DATA_BYTES + "; corrupt header?)");
                dims[i] = (int) d;
            }
            // One image is bounded on its own too: with a count of 0 the product above says nothing about it.
            if (magic == IMAGES_MAGIC && (dims[1] == 0 || dims[2] == 0 || (long) dims[1] * dims[2] > MAX_DATA_BYTES))
                throw fail(file, "header declares images of " + dims[1] + " x " + dims[2] + " pixels (expected at least 1 x 1 and at most "
                        + MAX_DATA_BYTES + " pixels)");
            boolean gzip = in instanceof GZIPInputStream;
            long expectedFile = head.length + size;
            if (!gzip) {
                long actual = Files.size(file);
                if (actual != expectedFile)
                    throw fail(file, (actual < expectedFile ? "truncated" : "has trailing data") + ": " + actual
                            + " bytes, but its header " + describeDims(head, rank) + " needs " + expectedFile
                            + " (expected exactly " + expectedFile + " bytes)");
            }
            return new Header(file, magic, dims, gzip);
        } catch (NoSuchFileException e) {
            throw fail(file, "no such file (expected an IDX " + kind + " file)");
        } catch (ZipException | EOFException e) {
            throw fail(file, "corrupt gzip data (" + e.getMessage() + "; expected a valid .gz IDX file)");
        } catch (IOException e) {
            throw new FeintException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** The data section of a checked header, read whole (bounded by the header, growing only as data arrives). */
    private static byte[] data(Header h) {
        try (InputStream in = open(h.file)) {
            in.skipNBytes(h.headerBytes());
            return readExactly(h.file, in, (int) h.dataBytes(), h.headerBytes());
        } catch (ZipException | EOFException e) {
            throw fail(h.file, "corrupt gzip data (" + e.getMessage() + "; expected a valid .gz IDX file)");
        } catch (IOException e) {
            throw new FeintException(h.file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Reads n data bytes, growing the buffer only as data arrives, and requires end of data after them. */
    private static byte[] readExactly(Path file, InputStream in, int n, int headerBytes) throws IOException {
        byte[] buf = new byte[Math.min(n, 1 << 20)];
        int got = 0;
        while (got < n) {
            if (got == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            int r = in.read(buf, got, buf.length - got);
            if (r < 0)
                throw fail(file, "truncated: data ends after " + (headerBytes + got) + " bytes (decompressed), but the header needs "
                        + (headerBytes + (long) n) + " (expected exactly " + (headerBytes + (long) n) + " bytes)");
            got += r;
        }
        if (in.read() >= 0)
            throw fail(file, "has trailing data after the " + (headerBytes + (long) n)
                    + " bytes its header declares (expected exactly " + (headerBytes + (long) n) + " bytes)");
        return buf;
    }

    private static InputStream open(Path file) throws IOException {
        BufferedInputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        raw.mark(2);
        int b0 = raw.read(), b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return new GZIPInputStream(raw, 1 << 16);
            } catch (IOException e) {
                raw.close();
                throw e;
            }
        }
        return raw;
    }

    private static int intAt(byte[] b, int off) {
        return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
    }

    private static String describeDims(byte[] head, int rank) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < rank; i++) sb.append(i == 0 ? "" : " x ").append(Integer.toUnsignedLong(intAt(head, 4 + 4 * i)));
        return sb.toString();
    }

    private static String hex(int v) { return String.format("0x%08x", v); }

    private static FeintException fail(Path file, String what) { return new FeintException(file + ": " + what); }
}
