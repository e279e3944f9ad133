package dev.feint.onnx;

import dev.feint.model.InputPreprocessing;
import dev.feint.FeintException;
import dev.feint.io.Json;
import dev.feint.io.Safetensors;
import dev.feint.io.SafetensorsReader;
import dev.feint.model.Bounds;
import dev.feint.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fine-tuned ONNX model as safetensors: the weights under their initializer names (PyTorch's
 * {@code state_dict} keys for a PyTorch export), and in {@code __metadata__} the format
 * {@value #FORMAT}, the graph (the ONNX file without its weights, base64), the preprocessing
 * and the class names, plus the caller's provenance. {@link #load} puts the weights back into
 * the graph and imports it, so {@code feint eval --model tuned.safetensors} needs no flags.
 */
public final class OnnxWeightsFile {
    /** The {@code format} metadata value that marks such a file ({@link dev.feint.model.Models#ONNX_WEIGHTS_FORMAT}, which detects it). */
    public static final String FORMAT = dev.feint.model.Models.ONNX_WEIGHTS_FORMAT;

    private OnnxWeightsFile() {}

    /**
     * Whether a safetensors file's metadata is that of a file {@link #save} wrote.
     *
     * @param metadata the file's {@code __metadata__}
     * @return true for a fine-tuned ONNX model's weights
     */
    public static boolean isOnnxWeights(Map<String, String> metadata) { return FORMAT.equals(metadata.get("format")); }

    /**
     * Writes the trained weights, the graph without them, the preprocessing and the class names (atomically).
     *
     * @param file the safetensors file to write
     * @param model the fine-tuned model
     * @param extra provenance to add to the metadata (keys already set by this format win), or null
     */
    public static void save(Path file, OnnxTraining model, Map<String, String> extra) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (var e : model.weights().entrySet()) tensors.put(e.getKey(), new Tensor(e.getValue().shape(), e.getValue().data().clone()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("onnx", Base64.getEncoder().encodeToString(model.skeleton()));
        meta.put("preprocessing", Json.write(preprocessing(model.preprocessing())));
        meta.put("classes", Json.write(new ArrayList<Object>(model.classNames())));
        if (extra != null) extra.forEach(meta::putIfAbsent);
        Safetensors.write(file, tensors, meta);
    }

    /**
     * The model {@link #save} wrote, in eval mode.
     *
     * @param file a safetensors file written by {@link #save}
     * @return the ONNX model with the trained weights, its preprocessing and class names
     * @throws dev.feint.FeintException naming the file when it is not such a file or its graph does not import
     */
    public static OnnxModel load(Path file) {
        try (SafetensorsReader r = Safetensors.open(file)) {
            Map<String, String> meta = r.metadata();
            String where = file.toString();
            if (!isOnnxWeights(meta)) throw new FeintException(where + ": format '" + meta.get("format") + "', expected " + FORMAT);
            byte[] skeleton;
            try {
                skeleton = Base64.getDecoder().decode(meta.getOrDefault("onnx", ""));
            } catch (IllegalArgumentException e) {
                throw new FeintException(where + ": metadata 'onnx' is not base64 (" + e.getMessage() + ")");
            }
            if (r.floatElements() > OnnxImport.MAX_FILE_BYTES / 4)
                throw new FeintException(where + ": holds " + r.floatElements() + " floats, more than an ONNX model Feint reads");
            Map<String, Tensor> weights = new LinkedHashMap<>();
            for (String name : r.entries().keySet()) weights.put(name, r.readTensor(name));
            byte[] onnx = OnnxRewrite.rewrite(skeleton, weights, Map.of(), where);
            return OnnxModel.fromBytes(onnx, where, preprocessing(meta.get("preprocessing"), where), classes(meta.get("classes"), where));
        }
    }

    private static Map<String, Object> preprocessing(InputPreprocessing p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("range", List.of((double) p.range().lo(), (double) p.range().hi()));
        m.put("mean", floats(p.mean()));
        m.put("std", floats(p.std()));
        m.put("channels", p.bgr() ? "bgr" : "rgb");
        m.put("layout", p.nhwc() ? "nhwc" : "nchw");
        return m;
    }

    private static InputPreprocessing preprocessing(String json, String where) {
        String what = where + ": metadata 'preprocessing'";
        if (json == null) throw new FeintException(what + " is missing");
        if (!(Json.parse(json, what) instanceof Map<?, ?> m)) throw new FeintException(what + " is not a JSON object");
        float[] range = numbers(m.get("range"), what + " 'range'");
        if (range.length != 2 || !(range[1] > range[0])) throw new FeintException(what + " 'range' must be [lo, hi] with lo < hi");
        return new InputPreprocessing(new Bounds(range[0], range[1]), numbers(m.get("mean"), what + " 'mean'"), numbers(m.get("std"), what + " 'std'"),
                "bgr".equals(m.get("channels")), "nhwc".equals(m.get("layout")));
    }

    private static List<String> classes(String json, String where) {
        if (json == null) return null;
        if (!(Json.parse(json, where + ": metadata 'classes'") instanceof List<?> l)) throw new FeintException(where + ": metadata 'classes' is not a list");
        List<String> out = new ArrayList<>();
        for (Object o : l) out.add(String.valueOf(o));
        return out;
    }

    private static List<Object> floats(float[] a) {
        List<Object> l = new ArrayList<>();
        for (float f : a) l.add((double) f);
        return l;
    }

    private static float[] numbers(Object v, String what) {
        if (!(v instanceof List<?> l) || l.isEmpty() || l.size() > 4096) throw new FeintException(what + " must be a list of numbers, got " + v);
        float[] o = new float[l.size()];
        for (int i = 0; i < o.length; i++) {
            if (!(l.get(i) instanceof Number n) || !Float.isFinite(n.floatValue())) throw new FeintException(what + " must hold finite numbers, got " + v);
            o[i] = n.floatValue();
        }
        return o;
    }
}
