package dev.feint.data;

import dev.feint.FeintException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds and opens datasets by name or path (see {@link DatasetSpec}); the format is detected
 * from the content ({@link DataFiles}) unless given.
 *
 * <p>Known names ({@code fashion-mnist}, {@code mnist}, {@code cifar10}, {@code cifar100}) are
 * looked up, in order, in {@code $FEINT_DATA/<name>}, {@code $FEINT_DATA} itself,
 * {@code /usr/share/datasets/<name>} (where Debian's {@code dataset-fashion-mnist} package puts
 * Fashion-MNIST) and {@code ~/.cache/feint/<name>}; when none holds the files the message lists
 * each place and which files to put where. Class names come from {@code --classes FILE}, else
 * from the dataset's own name files ({@code classes.txt}, CIFAR's {@code batches.meta.txt},
 * {@code fine_label_names.txt}, {@code coarse_label_names.txt}), else from the known dataset,
 * else "0", "1", ...
 *
 * <pre>{@code
 * Dataset test = Datasets.open(Path.of("demo/fashion-mnist-1k"));      // or Datasets.open("fashion-mnist")
 * Dataset train = Datasets.load("fashion-mnist", "train");
 * }</pre>
 */
public final class Datasets {
    /** Fashion-MNIST's ten class names, in label order. */
    public static final List<String> FASHION_MNIST_CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** MNIST's class names "0" to "9". */
    public static final List<String> DIGITS = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
    /** CIFAR-10's ten class names, in label order. */
    public static final List<String> CIFAR10_CLASSES = List.of(
            "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");
    /** Largest class-name file read (1 MiB) and most names in it. */
    static final int MAX_CLASSES_BYTES = 1 << 20, MAX_CLASSES = 1 << 16;

    /** A known dataset: its format, default class names and where its files come from. */
    record Known(DatasetSpec.Format format, List<String> classes, String files, String howTo) {}

    static final Map<String, Known> KNOWN = Map.of(
            "fashion-mnist", new Known(DatasetSpec.Format.IDX, FASHION_MNIST_CLASSES,
                    "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz",
                    "on Debian, `apt-get install dataset-fashion-mnist` installs /usr/share/datasets/fashion-mnist; otherwise the four "
                            + "IDX files (.gz or raw) from https://github.com/zalandoresearch/fashion-mnist"),
            "mnist", new Known(DatasetSpec.Format.IDX, DIGITS,
                    "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz",
                    "(Debian packages only Fashion-MNIST: `apt-get install dataset-fashion-mnist`) the four IDX files (.gz or raw) of MNIST"),
            "cifar10", new Known(DatasetSpec.Format.CIFAR10, CIFAR10_CLASSES,
                    "data_batch_1.bin ... data_batch_5.bin, test_batch.bin and batches.meta.txt",
                    "the binary version, https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz, unpacked (its cifar-10-batches-bin "
                            + "folder, or the files in it)"),
            "cifar100", new Known(DatasetSpec.Format.CIFAR100, null,
                    "train.bin, test.bin, fine_label_names.txt and coarse_label_names.txt",
                    "the binary version, https://www.cs.toronto.edu/~kriz/cifar-100-binary.tar.gz, unpacked (its cifar-100-binary "
                            + "folder, or the files in it)"));

    private Datasets() {}

    /**
     * Opens the test split of the data at {@code path}, in any format detected from its content:
     * IDX (raw or gzip), CIFAR-10/100 binary, an image folder, NPY/NPZ arrays (data without splits
     * is the test split). Examples are read a batch at a time.
     *
     * <pre>{@code
     * Dataset test = Datasets.open(Path.of("demo/fashion-mnist-1k"));
     * Dataset first100 = test.slice(0, 100);
     * }</pre>
     *
     * @param path a file or folder
     * @return the dataset, with its class names
     * @throws FeintException naming the file when it is missing, unreadable or of no known format
     */
    public static Dataset open(Path path) { return open(path.toString()); }

    /**
     * Opens the test split of a known dataset ({@code fashion-mnist}, {@code mnist}, {@code cifar10},
     * {@code cifar100}: looked up as the class comment says) or of a path.
     *
     * <pre>{@code
     * Dataset test = Datasets.open("fashion-mnist");
     * }</pre>
     *
     * @param nameOrPath a known name or a path
     * @return the dataset
     * @throws FeintException when it is not found; the message lists each place looked in
     */
    public static Dataset open(String nameOrPath) { return load(nameOrPath, "test"); }

    /**
     * Loads a split of a dataset given by name or path, every option at its default.
     *
     * @param spec a known name (fashion-mnist, mnist, cifar10, cifar100) or a directory or data file
     * @param split {@code "train"} or {@code "test"}
     * @return the dataset, read in batches on demand
     * @throws FeintException when it is not found or not readable, naming each place looked in
     */
    public static Dataset load(String spec, String split) { return load(DatasetSpec.of(spec), split); }

    /**
     * Loads a split described by a spec (format, layout, preprocessing and the other options).
     *
     * @param spec the dataset and its options
     * @param split {@code "train"} or {@code "test"}
     * @return the dataset, read in batches on demand
     * @throws FeintException when it is not found or not readable, naming each place looked in
     */
    public static Dataset load(DatasetSpec spec, String split) {
        return load(spec, split, System.getenv("FEINT_DATA"), System.getProperty("user.home"));
    }

    static Dataset load(String spec, String split, String feintData, String userHome) {
        return load(DatasetSpec.of(spec), split, feintData, userHome);
    }

    static Dataset load(DatasetSpec spec, String split, String feintData, String userHome) {
        if (!split.equals("train") && !split.equals("test")) throw new FeintException("split '" + split + "' (expected train or test)");
        Known known = KNOWN.get(spec.data());
        if (known != null) {
            DatasetSpec.Format f = spec.format() != null ? spec.format() : known.format();
            Path dir = locate(spec.data(), known, f, split, searchDirs(spec.data(), feintData, userHome), feintData == null || feintData.isBlank());
            return DataFiles.open(dir, f, spec, split, spec.data(), known.classes());
        }
        Path p = Path.of(spec.data());
        if (!Files.exists(p))
            throw new FeintException("dataset '" + spec.data() + "': not a known dataset " + KNOWN.keySet().stream().sorted().toList()
                    + " and no such file or directory (expected a name, a directory or a data file)");
        Path leaf = p.toAbsolutePath().normalize().getFileName();
        String name = leaf == null ? spec.data() : leaf.toString();
        Known same = KNOWN.get(name);
        return DataFiles.open(p, spec.format(), spec, split, name, same == null ? null : same.classes());
    }

    /**
     * Builds a dataset from an IDX image file and label file ([N,1,H,W], pixel / 255), both headers checked before any data is read.
     *
     * @param name what reports call the dataset
     * @param imagesFile the IDX images (raw or gz)
     * @param labelsFile the IDX labels (raw or gz)
     * @param classNames the class names, or null for "0", "1", ...
     * @return the dataset
     */
    public static Dataset fromFiles(String name, Path imagesFile, Path labelsFile, List<String> classNames) {
        return DataFiles.idx(name, imagesFile, labelsFile, classNames);
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

    private static Path locate(String name, Known k, DatasetSpec.Format f, String split, List<Path> dirs, boolean noFeintData) {
        StringBuilder looked = new StringBuilder();
        for (Path d : dirs) {
            String miss = Files.isDirectory(d) ? DataFiles.missing(d, f, split) : "directory";
            if (miss == null) return d;
            looked.append("\n  ").append(d).append(miss.equals("directory") ? " (no such directory)" : " (missing " + miss + ")");
        }
        throw new FeintException("dataset '" + name + "' not found (expected " + k.files() + "); looked in:" + looked
                + (noFeintData ? "\n  ($FEINT_DATA is not set)" : "")
                + "\nTo get it: put " + k.howTo() + " in $FEINT_DATA/" + name + " or ~/.cache/feint/" + name
                + ", or pass their directory instead of the name.");
    }

    /**
     * Class names from a file, one a line (blank lines skipped), read with a size bound (1 MiB).
     *
     * @param file the text file
     * @return the names in file order
     * @throws FeintException naming the file when it is missing, too large or empty
     */
    public static List<String> readClassNames(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            if (!Files.isRegularFile(file)) throw new FeintException(file + ": not a regular file (expected class names, one a line)");
            bytes = in.readNBytes(MAX_CLASSES_BYTES + 1);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new FeintException(file + ": no such file (expected class names, one a line)");
        } catch (IOException e) {
            throw new FeintException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (bytes.length > MAX_CLASSES_BYTES)
            throw new FeintException(file + ": more than " + MAX_CLASSES_BYTES + " bytes (expected class names, one a line)");
        List<String> names = new String(bytes, StandardCharsets.UTF_8).lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
        if (names.isEmpty() || names.size() > MAX_CLASSES)
            throw new FeintException(file + ": " + names.size() + " class names (expected 1.." + MAX_CLASSES + ", one per line)");
        return names;
    }

    /**
     * The class names of a model or dataset that names none.
     *
     * @param n the number of classes
     * @return "0", "1", ..., "n-1"
     */
    public static List<String> numbered(int n) {
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) out.add(Integer.toString(i));
        return out;
    }
}
