package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.data.Cifar;
import dev.feint.data.Dataset;
import dev.feint.data.DatasetSpec;
import dev.feint.data.Datasets;
import dev.feint.data.Layout;
import dev.feint.data.Preprocessing;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/**
 * The data flags every command shares (a picocli mixin): where the data is, how to read it and
 * how to preprocess it. Only parses and checks flags; {@link Datasets} does the work.
 */
final class DataOptions {
    @Option(names = "--data", required = true, description = "fashion-mnist, mnist, cifar10, cifar100, or a path: a folder of IDX "
            + "or CIFAR .bin files, an image folder (DIR/<class>/<image>, optionally in train/ and test/), x.npy (with y.npy) or an .npz.")
    String data;

    @Option(names = "--data-format", description = "idx, cifar10, cifar100, npy, npz or images (default: detected from the content).")
    String format;

    @Option(names = "--label", description = "CIFAR-100 labels: fine (100 classes, the default) or coarse (20).")
    String label;

    @Option(names = "--classes", description = "Class names, one a line: image folder names map to these indices; names of the labels otherwise.")
    Path classes;

    @Option(names = "--layout", description = "NPY/NPZ image axes: nchw, nhwc or auto (default: auto, from the shape).")
    String layout;

    @Option(names = "--offset", description = "Skip the first N examples of each split loaded (with --limit: a slice; nothing else is read).")
    Integer offset;

    @Option(names = "--fit", description = "Preprocess the data to the model's input: shorter side resized to the larger of its "
            + "height and width, centre crop, grayscale<->RGB (recorded in the JSON).")
    boolean fit;

    @Option(names = "--resize", description = "Resize images so the shorter side is N pixels (antialiased bilinear).")
    Integer resize;

    @Option(names = "--crop", description = "Centre crop to N or HxW pixels (after --resize).")
    String crop;

    @Option(names = "--channels", description = "Convert to 1 (grayscale, ITU-R 601 luma) or 3 (RGB) channels.")
    Integer channels;

    @Option(names = "--skip-bad", description = "Image folders: leave out images that do not decode, counted (with the first "
            + "few names) in the output and JSON; without it, the first such image stops the run with its name.")
    boolean skipBad;

    /** The {@code train} or {@code test} split, with no model to fit (training: the data decides the shape). */
    public Dataset load(String split) {
        if (fit) throw new FeintException("--fit needs a model to fit the data to (use --resize, --crop, --channels)");
        return skip(Datasets.load(spec(null), split));
    }

    /** The split, preprocessed for (and checked against) a model taking {@code input} [C,H,W] with {@code classes} outputs. */
    public Dataset load(String split, int[] input, int classes, String modelName) {
        Dataset d = Datasets.load(spec(input), split);
        d.checkFits(modelName, input, classes);
        return skip(d);
    }

    private Dataset skip(Dataset d) {
        var bad = d.source().skipped();
        if (bad.count() > 0)
            System.err.printf("%s: skipped %,d image%s that did not decode (--skip-bad), first: %s%n", data, bad.count(),
                    bad.count() == 1 ? "" : "s", bad.first().getFirst());
        if (offset == null) return d;
        if (offset < 0 || offset >= d.size())
            throw new FeintException("--offset must be in [0, " + d.size() + ") for " + d.name() + "'s " + d.size() + " examples, got " + offset);
        return d.slice(offset, d.size());
    }

    /** A stable text of the data flags, for a training checkpoint's fingerprint. */
    public String fingerprint() {
        String rest = "|" + format + "|" + label + "|" + classes + "|" + layout + "|" + resize + "|" + crop + "|" + channels;
        if (offset != null) rest += "|offset " + offset;
        if (skipBad) rest += "|skip-bad";
        return rest.equals("|null|null|null|null|null|null|null") ? data : data + rest; // the flags of before stay resumable
    }

    DatasetSpec spec(int[] input) {
        DatasetSpec.Format f = format == null ? null : flag("--data-format", () -> DatasetSpec.Format.parse(format));
        Cifar.Label l = null;
        if (label != null) {
            l = switch (label.strip().toLowerCase(Locale.ROOT)) {
                case "fine" -> Cifar.Label.FINE;
                case "coarse" -> Cifar.Label.COARSE;
                default -> throw new FeintException("--label must be fine or coarse, got '" + label + "'");
            };
        }
        Layout lay = layout == null ? null : flag("--layout", () -> Layout.parse(layout));
        return new DatasetSpec(data, f, l, classes, lay, preprocessing(input), skipBad);
    }

    private Preprocessing preprocessing(int[] input) {
        Preprocessing base = fit && input != null ? Preprocessing.fit(input) : Preprocessing.NONE;
        if (resize != null && resize < 1) throw new FeintException("--resize must be >= 1, got " + resize);
        if (channels != null && channels != 1 && channels != 3) throw new FeintException("--channels must be 1 or 3, got " + channels);
        int ch = 0, cw = 0;
        if (crop != null) {
            String[] p = crop.strip().toLowerCase(Locale.ROOT).split("x", -1);
            try {
                if (p.length > 2) throw new NumberFormatException();
                ch = Integer.parseInt(p[0].strip());
                cw = p.length == 2 ? Integer.parseInt(p[1].strip()) : ch;
            } catch (NumberFormatException e) {
                ch = -1;
            }
            if (ch < 1 || cw < 1) throw new FeintException("--crop must be N or HxW with positive sizes, got '" + crop + "'");
        }
        int r = resize != null ? resize : base.resize();
        int rh = crop != null ? ch : base.cropHeight(), rw = crop != null ? cw : base.cropWidth();
        int c = channels != null ? channels : base.channels();
        return flag("--resize/--crop", () -> new Preprocessing(r, rh, rw, c));
    }

    private static <T> T flag(String name, java.util.function.Supplier<T> parse) {
        try {
            return parse.get();
        } catch (FeintException e) {
            throw FeintException.within(name + ": ", e);
        }
    }
}
