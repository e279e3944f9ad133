package dev.feint.onnx;

import dev.feint.model.InputPreprocessing;
import dev.feint.FeintException;
import dev.feint.autograd.Grad;
import dev.feint.model.Bounds;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * An ONNX classifier answered by ONNX Runtime, as a black-box {@link Model}: inputs [n, c, h, w]
 * in the user's range (attacks clamp to it), preprocessed as {@link InputPreprocessing} says (its
 * {@link InputPreprocessing#transform}, as {@link OnnxModel}), then the graph on ONNX Runtime. No gradients: only score- and
 * decision-based attacks (Square, SimBA, HopSkipJump, Boundary, one-pixel, SPSA) run on it, but
 * any graph ONNX Runtime runs can be evaluated, including ops Feint does not import. A model whose
 * batch dimension is fixed at 1 is queried one example at a time.
 *
 * <pre>{@code
 * try (OrtModel m = OrtModel.load(Path.of("model.onnx"), InputPreprocessing.DEFAULT, null, 2)) {
 *     AttackOutcome o = new AttackRunner(m).run(AttackRegistry.create(AttackSpec.of("square").eps(0.1f)), x, labels, null);
 * }
 * }</pre>
 */
public final class OrtModel implements Model, AutoCloseable {
    private final OrtRunner ort;
    private final InputPreprocessing pre;
    private final int[] shape;          // [c, h, w] as the user feeds it
    private final boolean oneAtATime;   // the batch dimension is fixed at 1
    private final int classes;
    private final List<String> classNames;
    private final java.util.function.UnaryOperator<Tensor> transform;

    private OrtModel(OrtRunner ort, InputPreprocessing pre, List<String> classNames, String file) {
        this.ort = ort;
        this.pre = pre;
        long[] d = ort.inputDims();
        if (d.length != 4 || d[1] < 1 || d[2] < 1 || d[3] < 1 || d[1] * d[2] * d[3] > OnnxModel.MAX_INPUT || (d[0] != 1 && d[0] >= 0))
            throw new FeintException(file + ": input '" + ort.inputName() + "' has dims " + Arrays.toString(d)
                    + "; the ONNX Runtime backend needs an image input [n, c, h, w] (or [n, h, w, c] for a model that takes NHWC) with fixed c, h "
                    + "and w (c*h*w at most " + OnnxModel.MAX_INPUT + ") and a dynamic batch or a batch of 1");
        this.shape = pre.nhwc() ? new int[] {(int) d[3], (int) d[1], (int) d[2]} : new int[] {(int) d[1], (int) d[2], (int) d[3]};
        this.transform = pre.transform(shape[0]);                    // checks that mean and std fit the channels
        this.oneAtATime = d[0] == 1;
        OrtRunner.Output probe = ort.run(new float[inputSize()], modelDims(1));
        if (probe.dims().length != 2 || probe.dims()[0] != 1 || probe.dims()[1] < 1)
            throw new FeintException(file + ": the output has shape " + Arrays.toString(probe.dims()) + " for one input; a classifier gives [n, classes]");
        this.classes = (int) probe.dims()[1];
        if (classNames != null && classNames.size() != classes)
            throw new FeintException(classNames.size() + " class names given, the model has " + classes + " classes");
        this.classNames = classNames == null ? dev.feint.data.Datasets.numbered(classes) : List.copyOf(classNames);
    }

    /**
     * ONNX Runtime on {@code file} with {@code threads} intra-op threads.
     *
     * @param file the {@code .onnx} file
     * @param pre the preprocessing the model expects
     * @param classNames the class names, or null for "0", "1", ...
     * @param threads ONNX Runtime's intra-op threads
     * @return a black-box model: logits only, no gradients
     * @throws dev.feint.FeintException naming the file when ONNX Runtime cannot open it or it is not a classifier
     */
    public static OrtModel load(Path file, InputPreprocessing pre, List<String> classNames, int threads) {
        OrtRunner ort = OrtRunner.open(file, threads);
        try {
            return new OrtModel(ort, pre, classNames, file.toString());
        } catch (RuntimeException e) {
            ort.close();
            throw e;
        }
    }

    /** {@return the preprocessing applied before ONNX Runtime is called} */
    public InputPreprocessing preprocessing() { return pre; }

    /** {@return the class names, one per logit} */
    public List<String> classNames() { return classNames; }

    @Override public int numClasses() { return classes; }

    @Override public Bounds bounds() { return pre.range(); }

    @Override public int[] inputShape() { return shape.clone(); }

    @Override public Tensor logits(Tensor x) {
        Model.checkInput(x, shape);
        int n = x.dim(0), d = inputSize();
        float[] in;
        try (var ng = Grad.noGrad()) {                          // the same preprocessing as OnnxModel, in Feint's ops
            in = transform.apply(x).data();
        }
        float[] out = new float[n * classes];
        int step = oneAtATime ? 1 : Math.max(1, n);
        for (int i = 0; i < n; i += step) {
            int b = Math.min(step, n - i);
            float[] part = b == n ? in : Arrays.copyOfRange(in, i * d, (i + b) * d);
            OrtRunner.Output z = ort.run(part, modelDims(b));
            if (z.data().length != b * classes)
                throw new IllegalStateException("ONNX Runtime gave " + Arrays.toString(z.dims()) + " for a batch of " + b + " (expected [" + b + ", " + classes + "])");
            System.arraycopy(z.data(), 0, out, i * classes, b * classes);
        }
        return Tensor.of(out, n, classes);
    }

    private long[] modelDims(int n) {
        return pre.nhwc() ? new long[] {n, shape[1], shape[2], shape[0]} : new long[] {n, shape[0], shape[1], shape[2]};
    }

    /** Frees the ONNX Runtime session; a second close does nothing, and {@link #logits} after it is an {@link IllegalStateException}. */
    @Override public void close() { ort.close(); }
}
