package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.tensor.Parallel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A folder of images, one subfolder per class ({@code DIR/<class>/<image>}, images also in
 * nested folders), as torchvision's {@code ImageFolder}: classes by sorted folder name, or
 * indexed by a given list of class names (so folder names map to a model's outputs); images
 * in sorted path order. Only the file list is held; each batch decodes its images (on the
 * worker threads, or one by one on {@link Batches#prefetched}'s thread) and passes them through the {@link Preprocessing}. Every image must come out
 * at the first image's size; channels are converted to the first image's (gray levels copied to
 * RGB, RGB to ITU-R 601 luma). With {@code skipBad} every image is decoded once when the folder is
 * opened, and those that do not decode (or come out at another size) are left out and counted
 * ({@link ExampleSource#skipped}); without it, the first such image met stops the run with its name.
 */
final class ImageFolder {
    /**
     * The images and labels of one folder, and the class names the labels index.
     *
     * @param images the images, decoded per batch
     * @param labels the label of each image
     * @param classNames the class names, by label
     */
    public record Split(ExampleSource images, int[] labels, List<String> classNames) {}

    private ImageFolder() {}

    /**
     * Scans {@code dir}; {@code classNames} (null: the sorted folder names) gives each folder's label.
     *
     * @param dir the folder holding one subfolder per class
     * @param classNames the class names, or null
     * @param pre the preprocessing applied as images are read
     * @return the split
     */
    public static Split open(Path dir, List<String> classNames, Preprocessing pre) { return open(dir, classNames, pre, false); }

    /**
     * As {@link #open(Path, List, Preprocessing)}; {@code skipBad} leaves out the images that do not decode.
     *
     * @param dir the folder holding one subfolder per class
     * @param classNames the class names, or null
     * @param pre the preprocessing applied as images are read
     * @param skipBad whether to leave out (and count) images that do not decode
     * @return the split
     */
    public static Split open(Path dir, List<String> classNames, Preprocessing pre, boolean skipBad) {
        Set<String> suffixes = ImageFiles.suffixes();
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(dir)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new FeintException(dir + ": cannot list (" + e.getMessage() + ")", e);
        }
        if (classDirs.isEmpty())
            throw new FeintException(dir + ": no class folders (expected an image folder DIR/<class>/<image>, e.g. "
                    + dir.resolve("cat/001.png") + ")");
        List<String> names = classNames != null ? classNames : classDirs.stream().map(p -> p.getFileName().toString()).toList();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < names.size(); i++) index.putIfAbsent(names.get(i), i);
        List<Path> files = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        for (Path c : classDirs) {
            String name = c.getFileName().toString();
            Integer label = index.get(name);
            if (label == null)
                throw new FeintException(c + ": class folder '" + name + "' is not among the " + names.size()
                        + " class names given (expected one of them; check " + FeintException.parameter("classes") + ")");
            List<Path> found = images(c, suffixes);
            if (found.isEmpty())
                throw new FeintException(c + ": class folder with no images (expected files ending in " + suffixes + ")");
            for (Path f : found) {
                files.add(f);
                labels.add(label);
            }
        }
        int[] lab = labels.stream().mapToInt(Integer::intValue).toArray();
        if (!skipBad) {
            int[] first = pre.outputShape(ImageFiles.decode(files.getFirst()).shape());
            return new Split(new Source(dir.toString(), List.copyOf(files), first, pre, SkippedFiles.NONE), lab, names);
        }
        return scanned(dir, files, lab, names, pre);
    }

    /** Decodes every image once (on the worker threads) and keeps those that decode at the first good image's size. */
    private static Split scanned(Path dir, List<Path> files, int[] labels, List<String> names, Preprocessing pre) {
        int n = files.size();
        int[][] shapes = new int[n][];
        String[] bad = new String[n];
        Parallel.forEachItem(n, k -> {
            try {
                shapes[k] = pre.outputShape(ImageFiles.decode(files.get(k)).shape());
            } catch (FeintException e) {
                bad[k] = e.getMessage();
            }
        });
        int[] ref = null;
        List<Path> kept = new ArrayList<>();
        List<String> first = new ArrayList<>();
        int[] keptLabels = new int[n];
        int skipped = 0;
        for (int k = 0; k < n; k++) {
            if (bad[k] == null && ref == null) ref = shapes[k];
            if (bad[k] == null && (shapes[k][1] != ref[1] || shapes[k][2] != ref[2]))
                bad[k] = files.get(k) + ": " + shapes[k][1] + "x" + shapes[k][2] + " pixels (expected " + ref[1] + "x" + ref[2]
                        + " as the folder's first good image)";
            if (bad[k] != null) {
                if (skipped++ < SkippedFiles.KEPT) first.add(bad[k]);
                continue;
            }
            keptLabels[kept.size()] = labels[k];
            kept.add(files.get(k));
        }
        if (kept.isEmpty())
            throw new FeintException(dir + ": none of its " + n + " images decodes (expected at least one good image; first: " + first.getFirst() + ")");
        return new Split(new Source(dir.toString(), List.copyOf(kept), ref, pre, new SkippedFiles(skipped, first)),
                Arrays.copyOf(keptLabels, kept.size()), names);
    }

    /** True if {@code dir} looks like an image folder: a subfolder holding an image file. */
    static boolean looksLike(Path dir) {
        Set<String> suffixes = ImageFiles.suffixes();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path c : s.filter(Files::isDirectory).limit(1000).toList())
                try (Stream<Path> f = Files.list(c)) {
                    if (f.limit(1000).anyMatch(p -> isImage(p, suffixes))) return true;
                }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static List<Path> images(Path classDir, Set<String> suffixes) {
        try (Stream<Path> s = Files.walk(classDir, 32, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            // torchvision's order: sorted by folder, then by file name within it
            return s.filter(p -> isImage(p, suffixes)).filter(Files::isRegularFile)
                    .sorted(Comparator.comparing((Path p) -> p.getParent().toString()).thenComparing(p -> p.getFileName().toString()))
                    .toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new FeintException(classDir + ": cannot list (" + e.getMessage() + ")", e);
        }
    }

    private static boolean isImage(Path p, Set<String> suffixes) {
        String n = p.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return !hidden(p) && dot > 0 && suffixes.contains(n.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hidden(Path p) { return p.getFileName().toString().startsWith("."); }

    /** The images of a scanned folder, decoded per batch. */
    private record Source(String origin, List<Path> files, int[] shape, Preprocessing pre, SkippedFiles skipped) implements ExampleSource {
        @Override public int size() { return files.size(); }

        @Override public int[] shape() { return shape.clone(); }

        @Override public void read(int[] indices, float[] out) {
            int per = exampleSize();
            Parallel.ItemBody decode = k -> {
                Path f = files.get(indices[k]);
                ImageFiles.Decoded d = ImageFiles.decode(f);
                float[] x = pre.apply(d.pixels(), d.channels(), d.height(), d.width());
                int[] s = pre.outputShape(d.shape());
                if (s[1] != shape[1] || s[2] != shape[2])
                    throw new FeintException(f + ": " + s[1] + "x" + s[2] + " pixels" + (pre.isIdentity() ? "" : " after preprocessing")
                            + " (expected " + shape[1] + "x" + shape[2] + " as the folder's first image; images of different sizes "
                            + "need " + FeintException.parameter("preprocessing") + ")");
                if (s[0] != shape[0]) x = new Preprocessing(0, 0, 0, shape[0]).apply(x, s[0], s[1], s[2]);
                System.arraycopy(x, 0, out, k * per, per);
            };
            // on Batches' prefetch thread (virtual) decode one by one: the worker pool stays the model's
            if (Thread.currentThread().isVirtual()) for (int k = 0; k < indices.length; k++) decode.run(k);
            else Parallel.forEachItem(indices.length, decode);
        }

        @Override public Preprocessing preprocessing() { return pre; }

        @Override public boolean equals(Object o) { return this == o; }

        @Override public int hashCode() { return System.identityHashCode(this); }

        @Override public String toString() { return "ImageFolder[" + origin + ", " + files.size() + " images, " + Arrays.toString(shape) + "]"; }
    }
}
