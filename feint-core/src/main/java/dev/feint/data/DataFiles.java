package dev.feint.data;

import dev.feint.FeintException;
import dev.feint.data.DatasetSpec.Format;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Which files of a directory or file make up a split, and in which format: detection from the
 * content (magic numbers, file names, record sizes), then the format's reader. Splits: IDX and
 * CIFAR name their files by split; an image folder or NPY directory may have {@code train/} and
 * {@code test/} (or {@code val/}) subfolders; data without splits (one file, or a folder without
 * them) is the test split.
 */
final class DataFiles {
    private DataFiles() {}

    static Dataset open(Path p, Format format, DatasetSpec spec, String split, String name, List<String> knownClasses) {
        Format f = format != null ? format : detect(p);
        List<String> given = spec.classes() == null ? null : Datasets.readClassNames(spec.classes());
        Dataset d = switch (f) {
            case IDX -> {
                Path[] files = idxFiles(p, split);
                Path dir = files[0].getParent();
                yield idx(name, files[0], files[1], given != null ? given : idxClasses(dir, knownClasses));
            }
            case CIFAR10, CIFAR100 -> cifar(p, f, spec, split, name, given);
            case NPY, NPZ, IMAGES -> {
                Path q = Files.isDirectory(p) ? splitDir(p, split) : f == Format.NPZ ? p : unsplit(p, split); // an NPZ may hold both
                yield f == Format.IMAGES ? images(q, name, given, spec) : arrays(q, f, spec, split, name, given, knownClasses);
            }
        };
        return f == Format.IMAGES ? d : d.preprocessed(spec.preprocessing());
    }

    /** The format of {@code p} from its content; a clear error when it cannot be told. */
    static Format detect(Path p) {
        try {
            if (Files.isDirectory(p)) {
                if (idxFile(p, "t10k-images-idx3-ubyte") != null || idxFile(p, "train-images-idx3-ubyte") != null) return Format.IDX;
                if (cifarDir(p, Format.CIFAR10) != null) return Format.CIFAR10;
                if (cifarDir(p, Format.CIFAR100) != null) return Format.CIFAR100;
                Path q = splitDirOrNull(p, "test");
                if (q == null) q = p;
                if (Files.isRegularFile(q.resolve("x.npy"))) return Format.NPY;
                if (ImageFolder.looksLike(q)) return Format.IMAGES;
                throw new FeintException(p + ": cannot tell the data format (expected IDX files, CIFAR .bin files, x.npy and y.npy, "
                        + "class folders of images, or train/ and test/ folders of those; or say it with " + FeintException.parameter("format") + ")");
            }
            if (!Files.isRegularFile(p)) throw new FeintException(p + ": not a regular file or directory (expected data)");
            byte[] head;
            try (InputStream in = Files.newInputStream(p)) {
                head = in.readNBytes(6);
            }
            if (head.length >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return Format.NPZ;
            if (head.length == 6 && (head[0] & 0xff) == 0x93 && head[1] == 'N' && head[2] == 'U') return Format.NPY;
            int magic = idxMagic(p, head);
            if (magic == Idx.IMAGES_MAGIC) return Format.IDX;
            long size = Files.size(p);
            boolean c10 = size > 0 && size % (Cifar.PIXELS + 1) == 0, c100 = size > 0 && size % (Cifar.PIXELS + 2) == 0;
            if (c10 != c100) return c10 ? Format.CIFAR10 : Format.CIFAR100;
            throw new FeintException(p + ": cannot tell the data format (expected an .npz or .npy file, an IDX image file, or a CIFAR "
                    + "binary file of whole 3073- or 3074-byte records; or say it with " + FeintException.parameter("format") + ")");
        } catch (IOException e) {
            throw new FeintException(p + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /** The first missing file of a split of a known format in {@code dir}, or null if all are there. */
    static String missing(Path dir, Format f, String split) {
        return switch (f) {
            case IDX -> {
                String prefix = split.equals("train") ? "train" : "t10k";
                for (String base : List.of(prefix + "-images-idx3-ubyte", prefix + "-labels-idx1-ubyte"))
                    if (idxFile(dir, base) == null) yield base + "[.gz]";
                yield null;
            }
            case CIFAR10, CIFAR100 -> {
                Path d = cifarDir(dir, f);
                for (String n : cifarNames(f, split)) if (d == null || !Files.isRegularFile(d.resolve(n))) yield n;
                yield null;
            }
            default -> Files.isDirectory(dir) ? null : "directory";
        };
    }

    static Dataset idx(String name, Path imagesFile, Path labelsFile, List<String> classNames) {
        Idx.Header hi = Idx.header(imagesFile, Idx.IMAGES_MAGIC), hl = Idx.header(labelsFile, Idx.LABELS_MAGIC);
        if (hi.count() != hl.count())
            throw new FeintException(imagesFile + " has " + hi.count() + " images but " + labelsFile + " has "
                    + hl.count() + " labels (expected the same count)");
        if (hi.count() == 0) throw new FeintException(imagesFile + ": no images (expected at least one)");
        int[] labels = Idx.labels(hl, classNames.size());
        return new Dataset(name, Idx.images(hi), labels, classNames.size(), classNames);
    }

    private static Path[] idxFiles(Path p, String split) {
        if (Files.isRegularFile(p)) {
            Path dir = p.toAbsolutePath().getParent();
            String n = p.getFileName().toString();
            Path labels = n.contains("images-idx3") ? idxFile(dir, n.replace(".gz", "").replace("images-idx3", "labels-idx1")) : null;
            if (labels == null)
                throw new FeintException(p + ": no label file beside it (expected the images file named *-images-idx3-ubyte[.gz] and its "
                        + "labels *-labels-idx1-ubyte[.gz] in the same folder)");
            unsplit(p, split);
            return new Path[] {p, labels};
        }
        String miss = missing(p, Format.IDX, split), prefix = split.equals("train") ? "train" : "t10k";
        if (miss != null)
            throw new FeintException("dataset directory " + p + ": missing " + miss + " (expected " + prefix + "-images-idx3-ubyte[.gz] and "
                    + prefix + "-labels-idx1-ubyte[.gz])");
        return new Path[] {idxFile(p, prefix + "-images-idx3-ubyte"), idxFile(p, prefix + "-labels-idx1-ubyte")};
    }

    private static List<String> idxClasses(Path dir, List<String> known) {
        Path file = dir.resolve("classes.txt");
        if (Files.isRegularFile(file)) return Datasets.readClassNames(file);
        return known != null ? known : Datasets.DIGITS;
    }

    private static Dataset cifar(Path p, Format f, DatasetSpec spec, String split, String name, List<String> given) {
        List<Path> files = new ArrayList<>();
        Path dir;
        if (Files.isRegularFile(p)) {
            unsplit(p, split);
            files.add(p);
            dir = p.toAbsolutePath().getParent();
        } else {
            dir = cifarDir(p, f);
            String miss = missing(p, f, split);
            if (miss != null)
                throw new FeintException(p + ": missing " + miss + " (expected " + String.join(", ", cifarNames(f, split)) + " of the "
                        + (f == Format.CIFAR10 ? "CIFAR-10" : "CIFAR-100") + " binary version, here or in "
                        + (f == Format.CIFAR10 ? "cifar-10-batches-bin/" : "cifar-100-binary/") + ")");
            for (String n : cifarNames(f, split)) files.add(dir.resolve(n));
        }
        Cifar.Split s = f == Format.CIFAR10 ? Cifar.cifar10(files) : Cifar.cifar100(files, spec.label());
        int classes = f == Format.CIFAR10 ? 10 : spec.label() == Cifar.Label.COARSE ? 20 : 100;
        List<String> names = given;
        if (names == null) {
            Path file = dir.resolve(f == Format.CIFAR10 ? "batches.meta.txt"
                    : spec.label() == Cifar.Label.COARSE ? "coarse_label_names.txt" : "fine_label_names.txt");
            names = Files.isRegularFile(file) ? Datasets.readClassNames(file) : f == Format.CIFAR10 ? Datasets.CIFAR10_CLASSES : Datasets.numbered(classes);
            if (names.size() != classes)
                throw new FeintException(file + ": " + names.size() + " class names (expected " + classes + ", one a line)");
        }
        checkLabels(s.labels(), names, spec.classes() != null ? spec.classes().toString() : s.images().origin());
        return new Dataset(name, s.images(), s.labels(), names.size(), names);
    }

    private static Dataset arrays(Path p, Format f, DatasetSpec spec, String split, String name, List<String> given, List<String> known) {
        NpyData.Split s;
        Path dir;
        if (f == Format.NPZ) {
            s = NpyData.npz(p, split, spec.layout());
            dir = p.toAbsolutePath().getParent();
        } else {
            Path x = Files.isDirectory(p) ? p.resolve("x.npy") : p;
            dir = x.toAbsolutePath().getParent();
            String n = x.getFileName().toString();
            Path y = dir.resolve(n.startsWith("x") ? "y" + n.substring(1) : n.replace("images", "labels"));
            if (x.equals(y) || !Files.isRegularFile(y))
                throw new FeintException(x + ": no labels file " + y.getFileName() + " beside it (expected x.npy with y.npy, "
                        + "x_test.npy with y_test.npy, or images*.npy with labels*.npy)");
            s = NpyData.pair(x, y, spec.layout());
        }
        List<String> names = given;
        if (names == null) {
            Path file = dir.resolve("classes.txt");
            int max = 0;
            for (int y : s.labels()) max = Math.max(max, y);
            names = Files.isRegularFile(file) ? Datasets.readClassNames(file) : known != null ? known : Datasets.numbered(max + 1);
        }
        checkLabels(s.labels(), names, s.images().origin());
        return new Dataset(name, s.images(), s.labels(), names.size(), names);
    }

    private static Dataset images(Path dir, String name, List<String> given, DatasetSpec spec) {
        ImageFolder.Split s = ImageFolder.open(dir, given, spec.preprocessing(), spec.skipBad());
        return new Dataset(name, s.images(), s.labels(), s.classNames().size(), s.classNames());
    }

    private static void checkLabels(int[] labels, List<String> names, String where) {
        for (int i = 0; i < labels.length; i++)
            if (labels[i] >= names.size())
                throw new FeintException(where + ": label " + labels[i] + " at index " + i + " is out of range (expected 0.."
                        + (names.size() - 1) + " for " + names.size() + " classes)");
    }

    /** {@code dir/<split>} when {@code dir} has train/ and test/ (or val/) subfolders, else {@code dir} itself as the test split. */
    private static Path splitDir(Path dir, String split) {
        Path q = splitDirOrNull(dir, split);
        return q != null ? q : unsplit(dir, split);
    }

    private static Path splitDirOrNull(Path dir, String split) {
        Path train = dir.resolve("train"), test = Files.isDirectory(dir.resolve("test")) ? dir.resolve("test") : dir.resolve("val");
        if (!Files.isDirectory(train) || !Files.isDirectory(test)) return null;
        return split.equals("train") ? train : test;
    }

    static Path unsplit(Path p, String split) {
        if (!split.equals("test"))
            throw new FeintException(p + ": data without a train split (expected train/ and test/ folders, or IDX/CIFAR files named "
                    + "by split, to train on; data without splits is used as the test split)");
        return p;
    }

    private static Path idxFile(Path dir, String base) {
        for (String f : List.of(base, base + ".gz")) {
            Path q = dir.resolve(f);
            if (Files.isRegularFile(q)) return q;
        }
        return null;
    }

    private static int idxMagic(Path p, byte[] head) throws IOException {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(p))) {
                head = in.readNBytes(4);
            } catch (IOException e) {
                return 0;
            }
        }
        return head.length >= 4 ? (head[0] & 0xff) << 24 | (head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | (head[3] & 0xff) : 0;
    }

    private static List<String> cifarNames(Format f, String split) {
        if (f == Format.CIFAR10) return split.equals("train") ? Cifar.CIFAR10_TRAIN : Cifar.CIFAR10_TEST;
        return List.of(split.equals("train") ? "train.bin" : "test.bin");
    }

    /** {@code dir} or its unpacked-archive subfolder when it holds the format's files (either split), else null. */
    private static Path cifarDir(Path dir, Format f) {
        for (Path d : List.of(dir, dir.resolve(f == Format.CIFAR10 ? "cifar-10-batches-bin" : "cifar-100-binary")))
            for (String split : List.of("test", "train"))
                if (Files.isRegularFile(d.resolve(cifarNames(f, split).getFirst()))) return d;
        return null;
    }
}
