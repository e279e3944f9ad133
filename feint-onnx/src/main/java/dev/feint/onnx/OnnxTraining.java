package dev.feint.onnx;

import dev.feint.model.InputPreprocessing;
import dev.feint.FeintException;
import dev.feint.nn.Architecture;
import dev.feint.nn.Graph;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An imported ONNX classifier as a trainable {@link Network}, for adversarial fine-tuning with
 * any recipe ({@code feint train --init model.onnx --adv pgd}). The file's float initializers
 * are the parameters (Conv and Gemm weights and biases, BatchNormalization's scale and bias,
 * PRelu slopes, normalisation scales); in training mode BatchNormalization normalises with the
 * batch's statistics and updates its running mean and (unbiased) variance as a preset's
 * BatchNorm does (ONNX's momentum 0.9 is PyTorch's 0.1). Dropout stays the identity (ONNX's
 * inference form). The network takes inputs in [0, 1]; the model's input range, mean and std
 * become the network's normalisation.
 *
 * <p>Refused with one message naming the node: a Conv, Gemm or normalisation weight that is a
 * constant Feint folded at load (a {@code Constant} node, an op on constants), a BatchNormalization
 * whose running statistics are not initializers, float16 or double weights (the ONNX written back
 * holds float32), BGR or NHWC models, and a graph with nothing to train.
 *
 * <pre>{@code
 * OnnxTraining t = OnnxTraining.load(Path.of("resnet18.onnx"), InputPreprocessing.DEFAULT, null);
 * new Trainer(cfg, Recipes.create("pgd", t.network(), options)).fit(t.network(), train, test);
 * Files.write(Path.of("resnet18-pgd.onnx"), t.toOnnx(Map.of()));
 * }</pre>
 */
public final class OnnxTraining {
    private final byte[] source;
    private final String name;
    private final OnnxModel model;
    private final Network network;

    private OnnxTraining(byte[] source, String name, InputPreprocessing pre, List<String> classNames) {
        if (pre.bgr() || pre.nhwc())
            throw new FeintException(name + ": fine-tuning takes models fed RGB images in NCHW layout; this one is " + pre
                    + " (--model-channels and --model-layout are for attacking such models)");
        this.source = source;
        this.name = name;
        OnnxImport.Imported imported = OnnxImport.fromBytes(source, name);
        Graph graph = imported.graph();
        checkTrainable(imported.model().graph(), graph, name);
        this.model = OnnxModel.of(imported, pre, classNames, name);
        int c = model.inputShape()[0];
        float[][] ms = pre.perChannel(c);
        float lo = pre.range().lo(), span = pre.range().range();
        float[] mean = new float[c], std = new float[c];
        for (int i = 0; i < c; i++) {        // the model sees (lo + span * x - m) / s for x in [0, 1]
            mean[i] = (ms[0][i] - lo) / span;
            std[i] = ms[1][i] / span;
        }
        String arch = Path.of(name).getFileName().toString().replaceFirst("(?i)\\.onnx$", "");
        this.network = new Network(Architecture.graph(arch, model.inputShape(), model.numClasses()), graph, mean, std);
    }

    /**
     * Reads an ONNX classifier for training (bounded as {@link OnnxImport#load} is).
     *
     * @param file the {@code .onnx} file
     * @param pre the preprocessing the model expects
     * @param classNames the class names, or null for "0", "1", ...
     * @return the trainable model, its parameters the file's float initializers
     */
    public static OnnxTraining load(Path file, InputPreprocessing pre, List<String> classNames) {
        return new OnnxTraining(dev.feint.io.internal.InputFiles.readBytes(file, OnnxImport.MAX_FILE_BYTES, "an ONNX model"), file.toString(), pre, classNames);
    }

    /**
     * The same from bytes already read.
     *
     * @param bytes the ONNX file's bytes (copied)
     * @param name what messages call the model
     * @param pre the preprocessing the model expects
     * @param classNames the class names, or null for "0", "1", ...
     * @return the trainable model
     */
    public static OnnxTraining fromBytes(byte[] bytes, String name, InputPreprocessing pre, List<String> classNames) {
        return new OnnxTraining(bytes.clone(), name, pre, classNames);
    }

    /** {@return the trainable network: its body is the imported graph, its parameters the file's float initializers} */
    public Network network() { return network; }

    /** {@return the preprocessing the model expects} */
    public InputPreprocessing preprocessing() { return model.preprocessing(); }

    /** {@return the class names, one per logit} */
    public List<String> classNames() { return model.classNames(); }

    /** {@return the parameters and BatchNormalization statistics by initializer name, as they are now} */
    public Map<String, Tensor> weights() {
        Graph g = (Graph) network.body();
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String k : g.namedParameters().keySet()) out.put(k, g.value(k));
        for (String k : g.namedBuffers().keySet()) out.put(k, g.value(k));
        return out;
    }

    /**
     * The source file with today's weights: every other field (nodes, names, opsets, shapes) as
     * it was, {@code metadata} added to its metadata_props. ONNX Runtime and Feint load it.
     *
     * @param metadata entries to add to the file's metadata_props (provenance)
     * @return the serialised ONNX model
     */
    public byte[] toOnnx(Map<String, String> metadata) { return OnnxRewrite.rewrite(source, weights(), metadata, name); }

    /** The source file without its weights (they are stored beside it): what a safetensors file keeps of the graph. */
    byte[] skeleton() {
        Map<String, Tensor> none = new LinkedHashMap<>();
        for (String k : weights().keySet()) none.put(k, null);
        return OnnxRewrite.rewrite(source, none, Map.of(), name);
    }

    private static void checkTrainable(OnnxProto.Graph g, Graph graph, String file) {
        Set<String> params = graph.namedParameters().keySet(), buffers = graph.namedBuffers().keySet();
        if (params.isEmpty()) throw new FeintException(file + ": the graph has no float initializers, nothing to train");
        for (TensorData t : g.initializers())
            if (params.contains(t.name()) && t.dataType() != DataType.FLOAT)
                throw new FeintException(file + ": initializer '" + t.name() + "' is " + DataType.name(t.dataType())
                        + "; fine-tuning takes float32 weights (the ONNX written back holds float32)");
        for (int i = 0; i < g.nodes().size(); i++) {
            OnnxProto.Node n = g.nodes().get(i);
            String node = n.opType() + " node '" + (n.name().isEmpty() ? n.opType() + "_" + i : n.name()) + "'";
            String[] roles = switch (n.opType()) {
                case "Conv", "Gemm" -> new String[] {null, "weight", "bias"};
                case "BatchNormalization", "InstanceNormalization", "LayerNormalization" -> new String[] {null, "scale", "bias"};
                case "PRelu" -> new String[] {null, "slope"};
                default -> new String[0];
            };
            for (int k = 1; k < Math.min(roles.length, n.inputs().size()); k++) {
                String in = n.inputs().get(k);
                if (!in.isEmpty() && graph.value(in) != null && !params.contains(in))
                    throw new FeintException(file + ": " + node + " takes its " + roles[k] + " '" + in + "' from a constant Feint folds at load "
                            + "(a Constant node or an op on constants), which cannot be trained; fine-tuning needs it as a float initializer");
            }
            if (!n.opType().equals("BatchNormalization")) continue;
            for (int k = 3; k < Math.min(5, n.inputs().size()); k++) {
                String in = n.inputs().get(k);
                if (!buffers.contains(in))
                    throw new FeintException(file + ": " + node + " has its running " + (k == 3 ? "mean" : "variance") + " '" + in + "' "
                            + (graph.value(in) != null ? "as a folded constant" : "computed by another node (an exporter may have merged equal initializers)")
                            + ", not an initializer Feint can update in training");
            }
        }
    }
}
