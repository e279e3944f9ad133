package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.io.Npy;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Images and labels as NumPy arrays: {@code x.npy} (uint8 0..255, or float32/float64 in [0,1];
 * [N,H,W], [N,C,H,W] or [N,H,W,C], see {@link Layout}) with {@code y.npy} (integer labels [N]),
 * or one {@code .npz} holding {@code x} and {@code y} (or {@code x_<split>} and
 * {@code y_<split>}, as Keras's {@code mnist.npz}). A {@code .npy} is read at offsets per batch;
 * an NPZ entry (possibly compressed) is read into memory once, uint8 staying bytes, after its
 * declared size has been checked against the heap. Both headers are checked against each other
 * before any data is read.
 */
final class NpyData {
    /** Pixels and labels of one split. */
    public record Split(ExampleSource images, int[] labels) {}

    private NpyData() {}

    /** {@code x} and {@code y} {@code .npy} files. */
    public static Split pair(Path x, Path y, Layout layout) {
        Npy.Header hx = Npy.header(x), hy = Npy.header(y);
        boolean cl = checkPair(x.toString(), hx, y.toString(), hy, layout);
        RecordFile.Dtype dtype = switch (hx.descr()) {
            case "|u1" -> RecordFile.Dtype.U8;
            case "<f4" -> RecordFile.Dtype.F32;
            case "<f8" -> RecordFile.Dtype.F64;
            default -> throw new IllegalStateException(); // refused by checkPair
        };
        int[] shape = Layout.exampleShape(hx.shape(), cl);
        long per = (long) shape[0] * shape[1] * shape[2] * hx.itemBytes();
        ExampleSource images = new RecordFile(x.toString(), List.of(new RecordFile.Segment(x, hx.dataOffset(), hx.shape()[0])),
                shape, per, 0, dtype, cl);
        byte[] yb;
        try (FileChannel ch = FileChannel.open(y, StandardOpenOption.READ)) {
            ch.position(hy.dataOffset());
            yb = Npy.readData(y.toString(), hy, java.nio.channels.Channels.newInputStream(ch));
        } catch (IOException e) {
            throw new FeintException(y + ": cannot read (" + e.getMessage() + ")", e);
        }
        return new Split(images, labels(y.toString(), hy, yb));
    }

    /** The arrays {@code x}/{@code y}, else {@code x_<split>}/{@code y_<split>}, of an {@code .npz} file. */
    public static Split npz(Path file, String split, Layout layout) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            String sx = "x.npy", sy = "y.npy";
            if (zip.getEntry(sx) == null || zip.getEntry(sy) == null) {
                sx = "x_" + split + ".npy";
                sy = "y_" + split + ".npy";
            } else {
                DataFiles.unsplit(file, split);
            }
            ZipEntry ex = zip.getEntry(sx), ey = zip.getEntry(sy);
            if (ex == null || ey == null)
                throw new FeintException(file + ": no arrays x and y" + " (nor x_" + split + " and y_" + split + "); it holds "
                        + zip.stream().limit(20).map(ZipEntry::getName).toList() + " (expected np.savez(file, x=images, y=labels))");
            String wx = file + "[" + ex.getName() + "]", wy = file + "[" + ey.getName() + "]";
            try (InputStream ix = zip.getInputStream(ex); InputStream iy = zip.getInputStream(ey)) {
                Npy.Header hx = Npy.header(wx, ix, ex.getSize()), hy = Npy.header(wy, iy, ey.getSize());
                boolean cl = checkPair(wx, hx, wy, hy, layout);
                checkEntrySize(wx, ex, hx);
                checkEntrySize(wy, ey, hy);
                MemoryBudget.require(file, hx.descr().equals("|u1") ? hx.dataBytes() : hx.dataBytes() + 8 * hx.count(), "NPZ arrays are read whole: save x as a .npy file to stream it");
                int[] labels = labels(wy, hy, Npy.readData(wy, hy, iy));
                byte[] xb = Npy.readData(wx, hx, ix);
                int[] shape = Layout.exampleShape(hx.shape(), cl);
                int n = hx.shape()[0];
                if (hx.descr().equals("|u1")) return new Split(new ByteStore(wx, xb, shape, cl), labels);
                float[] raw = Npy.floats(hx, xb), data = new float[raw.length];
                int per = shape[0] * shape[1] * shape[2];
                for (int i = 0; i < n; i++) Pixels.copyChecked(raw, i * per, cl, shape[0], shape[1], shape[2], data, i * per, wx, i);
                return new Split(new TensorSource(new Tensor(Shape.of(n, shape[0], shape[1], shape[2]), data), wx), labels);
            }
        } catch (ZipException e) {
            throw new FeintException(file + ": not a valid NPZ (zip) file (" + e.getMessage() + ")");
        } catch (IOException e) {
            throw new FeintException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** Checks dtypes, ranks and equal counts from the two headers alone; returns whether x is channels-last. */
    private static boolean checkPair(String wx, Npy.Header hx, String wy, Npy.Header hy, Layout layout) {
        if (!List.of("|u1", "<f4", "<f8").contains(hx.descr()))
            throw new FeintException(wx + ": dtype '" + hx.descr() + "' (expected images as uint8 0..255, or float32/float64 in [0, 1])");
        boolean cl = layout.channelsLast(wx, hx.shape());
        if (!hy.integer()) throw new FeintException(wy + ": dtype '" + hy.descr() + "' (expected integer labels)");
        int[] ys = hy.shape();
        if (!(ys.length == 1 || (ys.length == 2 && ys[1] == 1)))
            throw new FeintException(wy + ": shape " + Arrays.toString(ys) + " (expected labels [N])");
        if (ys[0] != hx.shape()[0])
            throw new FeintException(wx + " has " + hx.shape()[0] + " images but " + wy + " has " + ys[0] + " labels (expected the same count)");
        if (hx.shape()[0] == 0) throw new FeintException(wx + ": no images (expected at least one)");
        return cl;
    }

    private static void checkEntrySize(String where, ZipEntry e, Npy.Header h) {
        if (e.getSize() >= 0 && e.getSize() != h.dataOffset() + h.dataBytes())
            throw new FeintException(where + ": entry is " + e.getSize() + " bytes but its header declares "
                    + (h.dataOffset() + h.dataBytes()) + " (expected exactly that; truncated or lying header?)");
    }

    private static int[] labels(String where, Npy.Header h, byte[] data) {
        long[] v = Npy.integers(where, h, data);
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] < 0 || v[i] > 65535)
                throw new FeintException(where + ": label " + v[i] + " at index " + i + " is out of range (expected 0..65535)");
            out[i] = (int) v[i];
        }
        return out;
    }

    static boolean isNpz(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(4);
            return b.length == 4 && b[0] == 'P' && b[1] == 'K' && b[2] == 3 && b[3] == 4;
        }
    }
}
