package dev.feint.model;

import dev.feint.FeintException;
import dev.feint.nn.NetworkFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Reads a model file as the model attacks see: the one loader for every format, which it tells
 * from the file's content, not its name. Feint weights ({@code .safetensors}, with the
 * architecture, normalisation and class names in their metadata) are read here; the other
 * formats come from the {@link ModelFormat}s on the class path or module path: ONNX (and ONNX
 * models fine-tuned by Feint, saved as safetensors) with {@code dev.feint:feint-onnx}, TorchScript
 * with {@code dev.feint:feint-djl}. Files are read within bounds decided from their headers;
 * non-finite weights are refused unless {@link ModelOptions#allowNonfinite(boolean)}.
 *
 * <p>What a foreign format does not record comes in {@link ModelOptions}: the input
 * preprocessing (default: inputs in [0, 1], no mean/std, RGB, NCHW), the class names, and for
 * TorchScript the input shape. An option the file's format does not take is refused rather than
 * ignored. Errors are {@link ModelLoadException}s for an unknown format (naming the file, what it
 * looks like and the formats supported), a format whose module is missing (naming the artifact)
 * and options (naming the parameter); other {@link FeintException}s name the file.
 *
 * <pre>{@code
 * LoadedModel model = Models.load(Path.of("demo/models/fmnist-lenet-pgd.safetensors"));
 * RobustnessResult r = Evaluation.of(model).on(Datasets.open(Path.of("demo/fashion-mnist-1k")), 200)
 *         .attack(Attacks.pgd().eps(0.1).steps(20)).run();
 * LoadedModel pt = Models.load(Path.of("lenet.pt"), ModelOptions.defaults().inputShape(1, 28, 28));   // with feint-djl
 * }</pre>
 */
public final class Models {
    /** The formats Feint knows by content: name, the artifact that reads it (null: this one), what it is. */
    private record Known(String name, String artifact, String what) {}

    /**
     * The safetensors {@code format} metadata value of an ONNX model fine-tuned by Feint (feint-onnx's
     * {@code OnnxWeightsFile} writes it): the one mark by which such a file is told from Feint weights.
     */
    public static final String ONNX_WEIGHTS_FORMAT = "feint-onnx/1";

    private static final List<Known> KNOWN = List.of(
            new Known("safetensors", null, "Feint weights (.safetensors)"),
            new Known("onnx", "dev.feint:feint-onnx", "ONNX (.onnx)"),
            new Known("onnx-safetensors", "dev.feint:feint-onnx", "an ONNX model fine-tuned by Feint (.safetensors)"),
            new Known("torchscript", "dev.feint:feint-djl", "TorchScript (.pt, through DJL's PyTorch engine)"));

    private Models() {}

    /**
     * Reads the model in {@code file} with {@link ModelOptions#defaults()}.
     *
     * @param file a Feint weights file, an ONNX file (with feint-onnx), ...
     * @return the model with its name (the file name), class names and metadata
     * @throws FeintException naming the file when it cannot be read, is not a model, or needs a module that is missing
     */
    public static LoadedModel load(Path file) { return load(file, ModelOptions.defaults()); }

    /**
     * Reads the model in {@code file}, its format decided from its content.
     *
     * @param file the model file
     * @param options what the file does not record (preprocessing, input shape, class names); only those its format takes may be given
     * @return the model with its name (the file name), class names and metadata
     * @throws ModelLoadException for an unknown format, a format whose module is missing, or an option the format does not take or needs
     * @throws FeintException naming the file when it cannot be read or is not a valid model of its format
     */
    public static LoadedModel load(Path file, ModelOptions options) {
        if (options == null) throw new IllegalArgumentException("options: null (ModelOptions.defaults() for none)");
        ModelFormat f = formatOf(file);
        checkOptions(file, f, options);
        return f.load(file, options);
    }

    /**
     * The format of {@code file}, from its content: {@code safetensors} (Feint weights), {@code onnx},
     * {@code onnx-safetensors} (an ONNX model fine-tuned by Feint), {@code torchscript}, or the
     * {@link ModelFormat#name()} of a format of one's own that accepts it.
     *
     * @param file the model file
     * @return the format's name; its module is on the path
     * @throws ModelLoadException for an unknown format or one whose module is missing
     * @throws FeintException when the file does not exist or cannot be read
     */
    public static String format(Path file) { return formatOf(file).name(); }

    /**
     * A human-readable summary of {@code file} in its format's words ({@code feint info}).
     *
     * @param file the model file
     * @return the summary, lines ending in a line separator
     * @throws ModelLoadException for an unknown format or one whose module is missing
     */
    public static String describe(Path file) { return formatOf(file).describe(file); }

    /**
     * Frees what {@code model} holds outside the Java heap (an ONNX Runtime session, a libtorch
     * model) when it is {@link AutoCloseable}; a pure-Java model holds nothing and is left as it is.
     * {@link LoadedModel#close()} calls it.
     *
     * @param model the model, or null
     * @throws FeintException when closing fails
     */
    public static void close(Model model) {
        if (!(model instanceof AutoCloseable c)) return;
        try {
            c.close();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new FeintException("closing the model failed (" + e.getMessage() + ")", e);
        }
    }

    /** {@return the names of the formats that can be read now: Feint's own and those of the providers found} */
    public static List<String> formats() {
        List<String> names = new ArrayList<>(List.of("safetensors"));
        for (ModelFormat f : providers().values()) if (!names.contains(f.name())) names.add(f.name());
        return names;
    }

    private static ModelFormat formatOf(Path file) {
        if (file == null) throw new FeintException("model: no file given (expected " + supported() + ")");
        byte[] head = ModelFiles.head(file);
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new FeintException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        Map<String, ModelFormat> providers = providers();
        String known = ModelFiles.format(file, head, size);
        if ("safetensors".equals(known)) return FEINT;
        if (known != null) {
            ModelFormat f = providers.get(known);
            if (f != null) return f;
            Known k = KNOWN.stream().filter(x -> x.name.equals(known)).findFirst().orElseThrow();
            throw ModelLoadException.unavailable(file, known, k.artifact, file + ": " + k.what + " model; reading it needs "
                    + k.artifact + " on the class path or module path");
        }
        for (ModelFormat f : providers.values())
            if (f.accepts(file, head)) return f;
        throw ModelLoadException.unknownFormat(file, file + ": not a model file Feint reads (it is " + ModelFiles.describe(head)
                + "); expected " + supported(providers));
    }

    /** {@return the formats for messages: the known ones with whether each is available, then any other provider's} */
    static String supported() { return supported(providers()); }

    /** The known formats with whether each is available, then any other provider's. */
    private static String supported(Map<String, ModelFormat> providers) {
        List<String> s = new ArrayList<>();
        for (Known k : KNOWN) {
            if (k.name.equals("onnx-safetensors")) continue;
            s.add(k.what + (k.artifact == null || providers.containsKey(k.name) ? "" : " with " + k.artifact + ", not on the path"));
        }
        for (String n : providers.keySet()) if (KNOWN.stream().noneMatch(k -> k.name.equals(n))) s.add(n);
        return String.join(", ", s.subList(0, s.size() - 1)) + " or " + s.getLast();
    }

    private static void checkOptions(Path file, ModelFormat f, ModelOptions options) {
        Set<String> takes = f.options();
        for (String p : options.given()) {
            if (takes.contains(p)) continue;
            String why = switch (p) {
                case ModelOptions.INPUT_SHAPE -> "it records its input shape";
                default -> f == FEINT || f.name().equals("onnx-safetensors")
                        ? "the file carries its own preprocessing and class names" : f.name() + " does not take it";
            };
            throw ModelLoadException.notTaken(file, f.name(), p, why);
        }
    }

    /** The providers on the path by name (the first of a name wins); one that fails to load is left out. */
    private static Map<String, ModelFormat> providers() {
        Map<String, ModelFormat> m = new LinkedHashMap<>();
        var it = ServiceLoader.load(ModelFormat.class, Models.class.getClassLoader()).iterator();
        while (true) {
            try {
                if (!it.hasNext()) break;
                ModelFormat f = it.next();
                m.putIfAbsent(f.name(), f);
            } catch (ServiceConfigurationError e) {
                // a provider whose own dependencies are missing: its format counts as unavailable
            }
        }
        return m;
    }

    /** Feint's own weights files: they carry their preprocessing, class names and input shape, so they take no options. */
    private static final ModelFormat FEINT = new ModelFormat() {
        @Override public String name() { return "safetensors"; }

        @Override public LoadedModel load(Path file, ModelOptions options) {
            NetworkFile.Loaded l = NetworkFile.load(file, options.allowNonfinite());
            return new LoadedModel(String.valueOf(file.getFileName()), NetworkModel.of(l.network()), l.classNames(), l.metadata());
        }
    };
}
