package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.model.Bounds;
import dev.feint.onnx.Preprocessing;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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

    static boolean isOnnx(Path model) { return model.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx"); }

    static boolean isTorchScript(Path model) {
        String n = model.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        return n.endsWith(".pt") || n.endsWith(".pth");
    }

    /** An error when a flag is given for a model that is neither ONNX nor TorchScript (its weights file carries its own). */
    void checkUnused(Path model) {
        if (ort() && !isOnnx(model)) throw new FeintException("--backend ort runs ONNX models (--model file.onnx); " + model + " is not one");
        if (input != null && !isTorchScript(model))
            throw new FeintException("--model-input applies to TorchScript models (--model file.pt); " + model + " records its input shape");
        if (isTorchScript(model) || isOnnx(model)) return;
        checkUnused("ONNX and TorchScript models (--model file.onnx, file.pt)", model + " carries its own preprocessing");
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

    Preprocessing preprocessing() {
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
        return new Preprocessing(range, m, s, bgr, nhwc);
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
