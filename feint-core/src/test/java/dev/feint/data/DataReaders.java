package dev.feint.data;

import java.nio.file.Path;

/**
 * The fuzz tests' door to this package's readers of untrusted files ({@link Idx},
 * {@link ImageFolder}), which are package-private: the fuzz targets live in {@code dev.feint.fuzz}
 * (one class, whose seed folders are named after it), and only tests need these readers outside
 * {@link DataFiles}.
 */
public final class DataReaders {
    private DataReaders() {}

    /** {@return the images of IDX file {@code f}, its header checked first} */
    public static ExampleSource idxImages(Path f) { return Idx.images(Idx.header(f, Idx.IMAGES_MAGIC)); }

    /** {@return the labels of IDX file {@code f}, each below {@code classes}} */
    public static int[] idxLabels(Path f, int classes) { return Idx.readLabels(f, classes); }

    /** {@return the images of the image folder {@code root}, classes by folder name} */
    public static ExampleSource imageFolder(Path root) { return ImageFolder.open(root, null, Preprocessing.NONE).images(); }
}
