package dev.feint.data;

import dev.feint.FeintException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Reader for the CIFAR-10 and CIFAR-100 binary versions ({@code cifar-10-batches-bin},
 * {@code cifar-100-binary}): records of one label byte (CIFAR-10) or a coarse and a fine label
 * byte (CIFAR-100) followed by 3072 pixel bytes, 32x32 red then green then blue, row-major. The
 * files have no header: a file must be a whole, non-zero number of records. Labels are read
 * (one pass over the file in bounded chunks), pixels stay on disk and are read per batch.
 */
public final class Cifar {
    /** Pixel bytes of one record: 3 x 32 x 32. */
    static final int PIXELS = 3 * 32 * 32;
    /** The CIFAR-10 training files' names. */
    static final List<String> CIFAR10_TRAIN = List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin",
            "data_batch_4.bin", "data_batch_5.bin");
    /** The CIFAR-10 test file's name. */
    static final List<String> CIFAR10_TEST = List.of("test_batch.bin");

    /** Which of CIFAR-100's two label bytes to use. */
    public enum Label {
        /** The 100 fine classes. */
        FINE,
        /** The 20 coarse superclasses. */
        COARSE
    }

    /**
     * A CIFAR split: its pixels (on disk) and labels.
     *
     * @param images the pixels, read per batch from the files
     * @param labels one label per record, in file order
     */
    public record Split(ExampleSource images, int[] labels) {}

    private Cifar() {}

    /**
     * CIFAR-10 files (10 classes, one label byte per record) as one split.
     *
     * @param files the {@code .bin} files, in order
     * @return their records as one split
     * @throws dev.feint.FeintException if a file is not a whole number of records
     */
    public static Split cifar10(List<Path> files) { return read(files, 1, 0, 10); }

    /**
     * CIFAR-100 files (coarse and fine label bytes per record) as one split with the chosen labels (20 or 100 classes).
     *
     * @param files the {@code .bin} files, in order
     * @param label which label byte to use
     * @return their records as one split
     * @throws dev.feint.FeintException if a file is not a whole number of records
     */
    public static Split cifar100(List<Path> files, Label label) {
        return label == Label.COARSE ? read(files, 2, 0, 20) : read(files, 2, 1, 100);
    }

    private static Split read(List<Path> files, int labelBytes, int labelAt, int classes) {
        int record = labelBytes + PIXELS;
        List<RecordFile.Segment> segments = new ArrayList<>();
        long total = 0;
        for (Path f : files) {
            long size = size(f, record);
            total += size / record;
            if (total > Integer.MAX_VALUE) throw new FeintException(f + ": more than " + Integer.MAX_VALUE + " records in all");
            segments.add(new RecordFile.Segment(f, 0, (int) (size / record)));
        }
        int[] labels = new int[(int) total];
        int at = 0;
        for (RecordFile.Segment s : segments) at = labels(s, record, labelAt, classes, labels, at);
        String origin = files.size() == 1 ? files.getFirst().toString() : files.getFirst().getParent() + "/" + files.stream()
                .map(p -> p.getFileName().toString()).reduce((a, b) -> a + "," + b).orElse("");
        return new Split(new RecordFile(origin, segments, new int[] {3, 32, 32}, record, labelBytes, RecordFile.Dtype.U8, false), labels);
    }

    private static long size(Path f, int record) {
        long size;
        try {
            if (!Files.isRegularFile(f)) throw new FeintException(f + ": no such file (expected a CIFAR binary batch file)");
            size = Files.size(f);
        } catch (IOException e) {
            throw new FeintException(f + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (size == 0 || size % record != 0)
            throw new FeintException(f + ": " + size + " bytes is not a whole number of " + record + "-byte records (expected a "
                    + (record == PIXELS + 1 ? "CIFAR-10" : "CIFAR-100") + " binary file: " + (record - PIXELS)
                    + " label byte(s) and " + PIXELS + " pixel bytes per image; truncated file, or the other CIFAR?)");
        return size;
    }

    /** Reads the label byte of every record of one file, in chunks of whole records; returns the next free slot. */
    private static int labels(RecordFile.Segment s, int record, int labelAt, int classes, int[] out, int at) {
        try (FileChannel ch = FileChannel.open(s.file(), StandardOpenOption.READ)) {
            int perChunk = Math.max(1, (1 << 20) / record);
            ByteBuffer buf = ByteBuffer.allocate(perChunk * record);
            for (int r = 0; r < s.count(); r += perChunk) {
                int n = Math.min(perChunk, s.count() - r);
                buf.clear().limit(n * record);
                long pos = (long) r * record;
                while (buf.hasRemaining())
                    if (ch.read(buf, pos + buf.position()) < 0) throw new FeintException(s.file() + ": ended while reading (did it change?)");
                for (int i = 0; i < n; i++) {
                    int y = buf.get(i * record + labelAt) & 0xff;
                    if (y >= classes)
                        throw new FeintException(s.file() + ": label " + y + " in record " + (r + i) + " is out of range (expected 0.."
                                + (classes - 1) + " for " + classes + " classes" + (record == PIXELS + 1 ? "; a CIFAR-100 file read as CIFAR-10?" : "") + ")");
                    out[at++] = y;
                }
            }
            return at;
        } catch (IOException e) {
            throw new FeintException(s.file() + ": cannot read (" + e.getMessage() + ")", e);
        }
    }
}
