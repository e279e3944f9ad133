package dev.feint.onnx;

import dev.feint.model.InputPreprocessing;
import dev.feint.FeintException;
import dev.feint.autograd.Convolutions;
import dev.feint.autograd.Grad;
import dev.feint.model.Bounds;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.Model;
import dev.feint.model.InputGradients;
import dev.feint.model.LossFunction;
import dev.feint.nn.Graph;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Tensor;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An ONNX classifier as a {@link DifferentiableModel}: inputs [n, c, h, w] in the user's range
 * (attacks clamp to it), preprocessed as {@link InputPreprocessing} says, then the imported graph on
 * Feint's autodiff; gradients with respect to the input are exact through all of it.
 *
 * <pre>{@code
 * OnnxModel m = OnnxModel.load(Path.of("resnet18.onnx"), new InputPreprocessing(Bounds.UNIT,
 *         new float[] {0.485f, 0.456f, 0.406f}, new float[] {0.229f, 0.224f, 0.225f}, false, false), null);
 * AttackOutcome o = new AttackRunner(m).run(attack, images, labels, null);
 * }</pre>
 */
public final class OnnxModel implements DifferentiableModel {
    /** The largest c*h*w taken (a 4096 x 4096 RGB image). */
    static final long MAX_INPUT = 3L * 4096 * 4096;
    private final OnnxImport.Imported imported;
    private final Graph graph;
    private final InputPreprocessing pre;
    private final int[] shape;               // [c, h, w] as the user feeds it
    private final int classes;
    private final List<String> classNames;
    private final List<Tensor> params;
    private final UnaryOperator<Tensor> transform;

    private OnnxModel(OnnxImport.Imported imported, InputPreprocessing pre, List<String> classNames, String file) {
        this.imported = imported;
        this.graph = imported.graph();
        this.pre = pre;
        graph.eval();
        if (graph.inputNames().size() != 1 || graph.outputNames().size() != 1)
            throw new FeintException(file + ": a classifier has one input and one output, this graph has inputs "
                    + graph.inputNames() + " and outputs " + graph.outputNames());
        this.shape = inputShape(imported.model(), graph.inputNames().get(0), pre.nhwc(), file);
        this.transform = pre.transform(shape[0]);
        this.params = List.copyOf(graph.namedParameters().values());
        Tensor probe;
        try (var ng = Grad.noGrad()) {
            probe = forward(Tensor.zeros(1, shape[0], shape[1], shape[2]));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new FeintException(file + ": the graph does not run on input [1, " + shape[0] + ", " + shape[1] + ", " + shape[2] + "]: " + e.getMessage());
        }
        if (probe.rank() != 2 || probe.dim(0) != 1)
            throw new FeintException(file + ": the output has shape " + probe.shape() + " for one input; a classifier gives [n, classes]");
        this.classes = probe.dim(1);
        if (classNames != null && classNames.size() != classes)
            throw new FeintException(classNames.size() + " class names given, the model has " + classes + " classes");
        this.classNames = classNames == null ? dev.feint.data.Datasets.numbered(classes) : List.copyOf(classNames);
    }

    /**
     * Imports the ONNX classifier in {@code file} (read within bounds decided from its declared sizes).
     *
     * @param file the {@code .onnx} file
     * @param pre the preprocessing the model expects (ONNX does not record it)
     * @param classNames the class names, or null for "0", "1", ...
     * @return the model, with input gradients through Feint's engine
     * @throws dev.feint.FeintException naming the file when it cannot be read, uses an unsupported op or is not a classifier
     */
    public static OnnxModel load(Path file, InputPreprocessing pre, List<String> classNames) {
        return new OnnxModel(OnnxImport.load(file), pre, classNames, file.toString());
    }

    /**
     * A model from ONNX bytes already read (e.g. from a fine-tuned model's safetensors file).
     *
     * @param bytes the serialised ONNX model
     * @param name what messages call the model
     * @param pre the preprocessing the model expects
     * @param classNames the class names, or null for "0", "1", ...
     * @return the model
     */
    public static OnnxModel fromBytes(byte[] bytes, String name, InputPreprocessing pre, List<String> classNames) {
        return of(OnnxImport.fromBytes(bytes, name), pre, classNames, name);
    }

    /** A model over a graph already imported. */
    static OnnxModel of(OnnxImport.Imported imported, InputPreprocessing pre, List<String> classNames, String name) {
        return new OnnxModel(imported, pre, classNames, name);
    }

    /** {@return the imported graph, its network and the ONNX model it came from} */
    public OnnxImport.Imported imported() { return imported; }

    /** {@return the preprocessing applied in front of the graph} */
    public InputPreprocessing preprocessing() { return pre; }

    /** {@return the class names, one per logit} */
    public List<String> classNames() { return classNames; }

    @Override public int numClasses() { return classes; }

    @Override public Bounds bounds() { return pre.range(); }

    @Override public int[] inputShape() { return shape.clone(); }

    @Override public Tensor logits(Tensor x) {
        Model.checkInput(x, shape);
        // An eval-mode graph keeps no state: calls may overlap (each thread has its own arena).
        try (var ng = Grad.noGrad(); var arena = Arena.open()) {
            return forward(x).copy();
        }
    }

    @Override public Gradient gradient(Tensor x, LossFunction loss, float[] into) {
        Model.checkInput(x, shape);
        return InputGradients.compute(graph, params, this::recordedForward, x, loss, into);
    }

    @Override public Jacobian jacobianRows(Tensor x, int[][] classes) {
        Model.checkInput(x, shape);
        return InputGradients.jacobianRows(graph, params, this::recordedForward, x, classes, numClasses(), inputSize());
    }

    private Tensor forward(Tensor x) { return graph.forward(transform.apply(x)); }

    /** The forward of an input-gradient pass: activations kept channels-last between the ops that can (no transposes). */
    private Tensor recordedForward(Tensor x) {
        try (var scope = Convolutions.channelsLastRecording()) {
            return forward(x);
        }
    }


    /** [c, h, w] from the declared input dims (batch may be symbolic, the rest must be fixed). */
    private static int[] inputShape(OnnxProto.Model m, String input, boolean nhwc, String file) {
        for (OnnxProto.ValueInfo v : m.graph().inputs()) {
            if (!v.name().equals(input)) continue;
            long[] d = v.dims();
            if (d == null || d.length != 4 || d[1] < 1 || d[2] < 1 || d[3] < 1 || d[1] * d[2] * d[3] > MAX_INPUT)
                throw new FeintException(file + ": input '" + input + "' has dims " + (d == null ? "unknown" : java.util.Arrays.toString(d))
                        + "; Feint needs an image input [n, c, h, w] (or [n, h, w, c] for a model that takes NHWC) with fixed c, h and w (c*h*w at most " + MAX_INPUT + ")");
            return nhwc ? new int[] {(int) d[3], (int) d[1], (int) d[2]} : new int[] {(int) d[1], (int) d[2], (int) d[3]};
        }
        throw new FeintException(file + ": input '" + input + "' has no declared type");
    }
}
