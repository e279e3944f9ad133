package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds and loads datasets by name or directory.
 *
 * <p>{@code "fashion-mnist"} and {@code "mnist"} are looked up, in order, in
 * {@code $FEINT_DATA/<name>}, {@code $FEINT_DATA} itself, {@code /usr/share/datasets/<name>}
 * (where Debian's {@code dataset-fashion-mnist} package puts them) and
 * {@code ~/.cache/feint/<name>}. Any other spec is a directory holding the four standard IDX
 * files ({@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 * {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}). Such a directory
 * gets class names from a {@code classes.txt} (one per line) if it has one, else from a known
 * dataset of the same directory name, else "0".."9".
 */
public final class Datasets {
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    private static final Map<String, List<String>> KNOWN = Map.of("fashion-mnist", FASHION_MNIST_CLASSES, "mnist", DIGITS);
    private static final float[] LEVELS = new float[256];

    static {
        for (int i = 0; i < 256; i++) LEVELS[i] = i / 255f;
    }

    private Datasets() {}

    /** Loads the {@code "train"} or {@code "test"} split of {@code spec} (a known name or a directory). */
    public static Dataset load(String spec, String split) {
        return load(spec, split, System.getenv("FEINT_DATA"), System.getProperty("user.home"));
    }

    static Dataset load(String spec, String split, String feintData, String userHome) {
        String prefix = switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new FeintException("split '" + split + "' (expected train or test)");
        };
        Path dir;
        String name;
        List<String> classes;
        if (KNOWN.containsKey(spec)) {
            dir = locate(spec, prefix, searchDirs(spec, feintData, userHome), feintData == null || feintData.isBlank());
            name = spec;
            classes = KNOWN.get(spec);
        } else {
            dir = Path.of(spec);
            if (!Files.isDirectory(dir))
                throw new FeintException("dataset '" + spec + "': not a known dataset " + KNOWN.keySet()
                        + " and not a directory (expected a name or a directory holding IDX files)");
            if (missing(dir, prefix) != null)
                throw new FeintException("dataset directory " + dir + ": missing " + missing(dir, prefix)
                        + " (expected " + prefix + "-images-idx3-ubyte[.gz] and " + prefix + "-labels-idx1-ubyte[.gz])");
            Path leaf = dir.toAbsolutePath().normalize().getFileName();
            name = leaf == null ? spec : leaf.toString();
            classes = classesFor(dir, name);
        }
        return fromFiles(name, find(dir, prefix + "-images-idx3-ubyte"), find(dir, prefix + "-labels-idx1-ubyte"), classes);
    }

    /** Builds a dataset from an IDX image file and label file ([N,1,H,W], pixel / 255). */
    public static Dataset fromFiles(String name, Path imagesFile, Path labelsFile, List<String> classNames) {
        Idx.Images im = Idx.readImages(imagesFile);
        int[] labels = Idx.readLabels(labelsFile, classNames.size());
        if (im.count() != labels.length)
            throw new FeintException(imagesFile + " has " + im.count() + " images but " + labelsFile + " has "
                    + labels.length + " labels (expected the same count)");
        byte[] px = im.pixels();
        float[] data = new float[px.length];
        for (int i = 0; i < px.length; i++) data[i] = LEVELS[px[i] & 0xff];
        Tensor images = new Tensor(Shape.of(im.count(), 1, im.rows(), im.cols()), data);
        return new Dataset(name, images, labels, classNames.size(), classNames);
    }

    /** The places a known dataset is looked for, in order. */
    static List<Path> searchDirs(String name, String feintData, String userHome) {
        List<Path> dirs = new ArrayList<>();
        if (feintData != null && !feintData.isBlank()) {
            dirs.add(Path.of(feintData, name));
            dirs.add(Path.of(feintData));
        }
        dirs.add(Path.of("/usr/share/datasets", name));
        if (userHome != null) dirs.add(Path.of(userHome, ".cache", "feint", name));
        return dirs;
    }

    private static Path locate(String name, String prefix, List<Path> dirs, boolean noFeintData) {
        StringBuilder looked = new StringBuilder();
        for (Path d : dirs) {
            String miss = Files.isDirectory(d) ? missing(d, prefix) : "directory";
            if (miss == null) return d;
            looked.append("\n  ").append(d).append(miss.equals("directory") ? " (no such directory)" : " (missing " + miss + ")");
        }
        throw new FeintException("dataset '" + name + "' not found (expected " + prefix + "-images-idx3-ubyte[.gz] and "
                + prefix + "-labels-idx1-ubyte[.gz]); looked in:" + looked
                + (noFeintData ? "\n  ($FEINT_DATA is not set)" : "")
                + "\nTo get it: " + (name.equals("fashion-mnist")
                        ? "on Debian, `apt-get install dataset-fashion-mnist` installs /usr/share/datasets/fashion-mnist; otherwise "
                        : "(Debian packages only Fashion-MNIST: `apt-get install dataset-fashion-mnist`) ")
                + "put the four IDX files (.gz or raw) in $FEINT_DATA/" + name + " or ~/.cache/feint/" + name
                + ", or pass their directory instead of the name.");
    }

    /** The first missing file of a split in {@code dir}, or null if both are there. */
    private static String missing(Path dir, String prefix) {
        for (String base : List.of(prefix + "-images-idx3-ubyte", prefix + "-labels-idx1-ubyte"))
            if (find(dir, base) == null) return base + "[.gz]";
        return null;
    }

    private static Path find(Path dir, String base) {
        for (String f : List.of(base, base + ".gz")) {
            Path p = dir.resolve(f);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    private static List<String> classesFor(Path dir, String name) {
        Path file = dir.resolve("classes.txt");
        if (Files.isRegularFile(file)) {
            // At most 256 names: a megabyte is plenty, and the limit is checked before reading.
            List<String> names = dev.feint.io.InputFiles.readText(file, 1 << 20, "a list of class names").lines()
                    .map(String::strip).filter(s -> !s.isEmpty()).toList();
            if (names.isEmpty() || names.size() > 256)
                throw new FeintException(file + ": " + names.size() + " class names (expected 1..256, one per line)");
            return names;
        }
        return KNOWN.getOrDefault(name, DIGITS);
    }
}
