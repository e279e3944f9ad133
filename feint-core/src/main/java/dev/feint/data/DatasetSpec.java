package dev.feint.data;

import dev.feint.FeintException;

import java.nio.file.Path;
import java.util.Locale;

/**
 * What to load: a dataset name or path, and how to read it.
 *
 * @param data          a known name (fashion-mnist, mnist, cifar10, cifar100), a directory or a file
 * @param format        the format, or null to detect it from the content
 * @param label         CIFAR-100's label byte (fine: 100 classes, coarse: 20)
 * @param classes       a file of class names, one a line (folder names or label i to name), or null
 * @param layout        axis order of NPY/NPZ image arrays
 * @param preprocessing applied to every example as it is read
 * @param skipBad       image folders: leave out (and count) images that do not decode, instead of stopping at the first
 */
public record DatasetSpec(String data, Format format, Cifar.Label label, Path classes, Layout layout, Preprocessing preprocessing,
                          boolean skipBad) {
    /** The formats read. */
    public enum Format {
        IDX, CIFAR10, CIFAR100, NPY, NPZ, IMAGES;

        /** Parses idx, cifar10, cifar100, npy, npz or images (any case). */
        public static Format parse(String s) {
            String t = s.strip().toUpperCase(Locale.ROOT).replace("-", "");
            for (Format f : values()) if (f.name().equals(t)) return f;
            throw new FeintException("data format '" + s + "' (expected idx, cifar10, cifar100, npy, npz or images)");
        }

        public String id() { return name().toLowerCase(Locale.ROOT); }
    }

    public DatasetSpec {
        if (data == null || data.isBlank()) throw new FeintException("data '' (expected a dataset name, a directory or a file)");
        if (label == null) label = Cifar.Label.FINE;
        if (layout == null) layout = Layout.AUTO;
        if (preprocessing == null) preprocessing = Preprocessing.NONE;
    }

    /** A spec that stops at the first image that does not decode. */
    public DatasetSpec(String data, Format format, Cifar.Label label, Path classes, Layout layout, Preprocessing preprocessing) {
        this(data, format, label, classes, layout, preprocessing, false);
    }

    /** {@code data} with every option at its default (detected format, fine labels, auto layout, no preprocessing). */
    public static DatasetSpec of(String data) { return new DatasetSpec(data, null, null, null, null, null); }

    public DatasetSpec withPreprocessing(Preprocessing p) { return new DatasetSpec(data, format, label, classes, layout, p, skipBad); }

    /** The same spec, skipping (true) or stopping at (false) images that do not decode. */
    public DatasetSpec withSkipBad(boolean skip) { return new DatasetSpec(data, format, label, classes, layout, preprocessing, skip); }
}
