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
        /** MNIST-style IDX files (images and labels, raw or gzip). */
        IDX,
        /** CIFAR-10's binary version. */
        CIFAR10,
        /** CIFAR-100's binary version. */
        CIFAR100,
        /** An NPY array of images, with labels in a second file. */
        NPY,
        /** An NPZ archive holding image and label arrays. */
        NPZ,
        /** A folder of image files, one subfolder per class. */
        IMAGES;

        /**
         * Parses idx, cifar10, cifar100, npy, npz or images (any case).
         *
         * @param s the format's name
         * @return the format
         * @throws FeintException if the name is none of these
         */
        public static Format parse(String s) {
            String t = s.strip().toUpperCase(Locale.ROOT).replace("-", "");
            for (Format f : values()) if (f.name().equals(t)) return f;
            throw new FeintException("data format '" + s + "' (expected idx, cifar10, cifar100, npy, npz or images)");
        }

        /** {@return the lower-case name {@link #parse} reads} */
        public String id() { return name().toLowerCase(Locale.ROOT); }
    }

    /**
     * Fills in the defaults: fine labels, auto layout, no preprocessing.
     *
     * @throws FeintException if {@code data} is blank
     */
    public DatasetSpec {
        if (data == null || data.isBlank()) throw new FeintException("data '' (expected a dataset name, a directory or a file)");
        if (label == null) label = Cifar.Label.FINE;
        if (layout == null) layout = Layout.AUTO;
        if (preprocessing == null) preprocessing = Preprocessing.NONE;
    }

    /**
     * A spec that stops at the first image that does not decode.
     *
     * @param data          a known name, a directory or a file
     * @param format        the format, or null to detect it
     * @param label         CIFAR-100's label byte, or null for fine
     * @param classes       a file of class names, or null
     * @param layout        axis order of NPY/NPZ image arrays, or null for auto
     * @param preprocessing applied to every example, or null for none
     */
    public DatasetSpec(String data, Format format, Cifar.Label label, Path classes, Layout layout, Preprocessing preprocessing) {
        this(data, format, label, classes, layout, preprocessing, false);
    }

    /**
     * {@code data} with every option at its default (detected format, fine labels, auto layout, no preprocessing).
     *
     * @param data a known name, a directory or a file
     * @return the spec
     */
    public static DatasetSpec of(String data) { return new DatasetSpec(data, null, null, null, null, null); }

    /**
     * The same spec with another preprocessing.
     *
     * @param p the preprocessing
     * @return the new spec
     */
    public DatasetSpec withPreprocessing(Preprocessing p) { return new DatasetSpec(data, format, label, classes, layout, p, skipBad); }

    /**
     * The same spec, skipping (true) or stopping at (false) images that do not decode.
     *
     * @param skip whether to skip images that do not decode
     * @return the new spec
     */
    public DatasetSpec withSkipBad(boolean skip) { return new DatasetSpec(data, format, label, classes, layout, preprocessing, skip); }
}
