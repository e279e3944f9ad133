package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.model.Bounds;
import dev.feint.model.ModelLoadException;
import dev.feint.model.ModelOptions;
import dev.feint.model.InputPreprocessing;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/**
 * The preprocessing flags of a foreign model ({@code --model file.onnx} or a TorchScript {@code file.pt});
 * neither format records them. The model's channel order, layout, class names and (TorchScript only)
 * input shape are {@code --model-*}: the bare names describe the data.
 */
final class OnnxOptions {
    @Option(names = "--input-range", description = "ONNX and TorchScript models: the range of input values, 0,1 or 0,255; attacks clamp to it (default: 0,1).")
    String inputRange;

    @Option(names = "--mean", split = ",", description = "ONNX and TorchScript models: per-channel mean subtracted before the model, in the units of --input-range (default: 0).")
    List<Float> mean;

    @Option(names = "--std", split = ",", description = "ONNX and TorchScript models: per-channel std divided by after --mean (default: 1).")
    List<Float> std;

    @Option(names = "--model-channels", description = "ONNX and TorchScript models: the channel order the model takes, rgb or bgr (default: rgb; Feint's images are RGB).")
    String channels;

    @Option(names = "--model-layout", description = "ONNX and TorchScript models: the layout the model takes, nchw or nhwc (default: nchw).")
    String layout;

    @Option(names = "--model-classes", description = "ONNX and TorchScript models: a text file with the model's class names, one a line.")
    Path classes;

    @Option(names = "--model-input", split = ",", description = "TorchScript models: the input shape c,h,w as Feint feeds it, e.g. 1,28,28 (TorchScript does not record it).")
    List<Integer> input;

    @Option(names = "--backend", description = "ONNX models: what answers the model's queries: feint (Feint's engine, with gradients: every "
            + "attack) or ort (ONNX Runtime on the same file, black-box attacks only; loads graphs with ops Feint does not import) "
            + "(default: feint).")
    String backend;

    /** True for {@code --backend ort}; an error for anything but feint or ort. */
    boolean ort() {
        return switch (backend == null ? "feint" : backend.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "feint" -> false;
            case "ort" -> true;
            default -> throw new FeintException("--backend must be feint or ort, got '" + backend + "'");
        };
    }

    /** The start of the message for --model-input given for a model that records its input shape. */
    static final String INPUT_NOT_TAKEN = "--model-input applies to TorchScript models (--model file.pt); ";

    private static final String[] PREPROCESSING_FLAGS = {"--input-range", "--mean", "--std", "--model-channels", "--model-layout"};

    /** The library's options for the flags given: only those given are set, so Models.load refuses any the format does not take. */
    ModelOptions options(Path model) {
        ModelOptions o = ModelOptions.defaults().allowNonfinite(GlobalOptions.allowNonfinite);
        if (firstPreprocessingFlag() != null) o = o.preprocessing(preprocessing());
        if (classes != null) o = o.classNames(classNames());
        if (input != null) {
            int[] s = inputShape(model);
            o = o.inputShape(s[0], s[1], s[2]);
        }
        return o;
    }

    /** Runs {@code load} for the model file given by --model, turning the library's {@link ModelLoadException}s into messages about flags. */
    <T> T mapped(Path model, Supplier<T> load) { return mapped("--model", model, load); }

    /** As {@link #mapped(Path, Supplier)}, for the file of {@code flag}. */
    <T> T mapped(String flag, Path model, Supplier<T> load) {
        try {
            return load.get();
        } catch (ModelLoadException e) {
            throw new FeintException(message(e, flag, model), e);
        }
    }

    private String message(ModelLoadException e, String flag, Path model) {
        return switch (e.kind()) {
            case UNKNOWN_FORMAT -> flag + " " + e.getMessage();
            case FORMAT_UNAVAILABLE -> e.format().equals("torchscript")
                    ? flag + " " + model + ": TorchScript models need feint-djl (DJL and libtorch), which this jar does not bundle; "
                        + "run through ./feint, which builds it on first use, or add feint-djl/target/feint-djl.jar and feint-djl/target/lib/* to the classpath"
                    : flag + " " + e.getMessage();
            case MISSING -> e.parameter().equals(ModelOptions.INPUT_SHAPE)
                    ? "--model-input is needed for the TorchScript model " + model + " (TorchScript does not record its input shape), e.g. --model-input 1,28,28"
                    : e.getMessage();
            case NOT_TAKEN -> switch (e.parameter()) {
                case ModelOptions.INPUT_SHAPE -> INPUT_NOT_TAKEN + model + " records its input shape";
                case ModelOptions.PREPROCESSING, ModelOptions.CLASS_NAMES -> {
                    String f = e.parameter().equals(ModelOptions.CLASS_NAMES) ? "--model-classes" : firstPreprocessingFlag();
                    yield f + " applies to ONNX and TorchScript models (--model file.onnx, file.pt); " + model + " carries its own preprocessing"
                            + (e.parameter().equals(ModelOptions.CLASS_NAMES) ? " and class names" : "");
                }
                default -> e.getMessage();
            };
            case INVALID -> e.getMessage();
        };
    }

    private String firstPreprocessingFlag() {
        Object[] values = {inputRange, mean, std, channels, layout};
        for (int i = 0; i < values.length; i++) if (values[i] != null) return PREPROCESSING_FLAGS[i];
        return null;
    }

    /** An error naming the first preprocessing flag given: it {@code appliesTo} other models, and {@code why} these flags do not apply here. */
    void checkUnused(String appliesTo, String why) {
        String[] flags = {"--input-range", "--mean", "--std", "--model-channels", "--model-layout", "--model-classes"};
        Object[] values = {inputRange, mean, std, channels, layout, classes};
        for (int i = 0; i < flags.length; i++)
            if (values[i] != null) throw new FeintException(flags[i] + " applies to " + appliesTo + "; " + why);
    }

    /** --model-input as [c, h, w]. */
    int[] inputShape(Path model) {
        if (input == null)
            throw new FeintException("--model-input is needed for the TorchScript model " + model + " (TorchScript does not record its input shape), e.g. --model-input 1,28,28");
        if (input.size() != 3 || input.stream().anyMatch(v -> v == null || v < 1))
            throw new FeintException("--model-input must be three positive sizes c,h,w (e.g. 1,28,28), got " + input);
        return new int[] {input.get(0), input.get(1), input.get(2)};
    }

    InputPreprocessing preprocessing() {
        Bounds range = Bounds.UNIT;
        if (inputRange != null) {
            range = switch (inputRange.replace(" ", "")) {
                case "0,1" -> Bounds.UNIT;
                case "0,255" -> new Bounds(0f, 255f);
                default -> throw new FeintException("--input-range must be 0,1 or 0,255, got '" + inputRange + "'");
            };
        }
        float[] m = floats(mean, 0f), s = floats(std, 1f);
        if (m.length != s.length && m.length != 1 && s.length != 1)
            throw new FeintException("--mean has " + m.length + " values and --std " + s.length + " (expected one per channel, or one for all)");
        if (m.length == 1 && s.length > 1) m = fill(m[0], s.length);
        if (s.length == 1 && m.length > 1) s = fill(s[0], m.length);
        for (float v : s) if (!(v > 0) || !Float.isFinite(v)) throw new FeintException("--std values must be finite and > 0, got " + std);
        boolean bgr = switch (channels == null ? "rgb" : channels.toLowerCase(java.util.Locale.ROOT)) {
            case "rgb" -> false;
            case "bgr" -> true;
            default -> throw new FeintException("--model-channels must be rgb or bgr, got '" + channels + "'");
        };
        boolean nhwc = switch (layout == null ? "nchw" : layout.toLowerCase(java.util.Locale.ROOT)) {
            case "nchw" -> false;
            case "nhwc" -> true;
            default -> throw new FeintException("--model-layout must be nchw or nhwc, got '" + layout + "'");
        };
        return new InputPreprocessing(range, m, s, bgr, nhwc);
    }

    List<String> classNames() {
        if (classes == null) return null;
        try {
            if (Files.size(classes) > 1 << 20) throw new FeintException("--model-classes " + classes + ": larger than 1 MiB (expected one class name per line)");
            return Files.readAllLines(classes).stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
        } catch (IOException e) {
            throw new FeintException("--model-classes " + classes + ": cannot read (" + e.getMessage() + ")");
        }
    }

    private static float[] floats(List<Float> v, float def) {
        if (v == null || v.isEmpty()) return new float[] {def};
        float[] o = new float[v.size()];
        for (int i = 0; i < o.length; i++) o[i] = v.get(i);
        return o;
    }

    private static float[] fill(float v, int n) {
        float[] o = new float[n];
        java.util.Arrays.fill(o, v);
        return o;
    }
}
