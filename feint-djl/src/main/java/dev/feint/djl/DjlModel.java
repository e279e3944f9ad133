package dev.feint.djl;

import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.feint.FeintException;
import dev.feint.autograd.Grad;
import dev.feint.data.Datasets;
import dev.feint.model.Bounds;
import dev.feint.model.Model;
import dev.feint.model.InputPreprocessing;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.UnaryOperator;

/**
 * A DJL model (a {@code ZooModel} or any {@link ai.djl.Model}, on any DJL engine) as a black-box
 * Feint {@link Model}: inputs [n, c, h, w] in the user's range (attacks clamp to it), preprocessed
 * as {@link InputPreprocessing} says (in Java), then the model's own forward pass in its engine, whose
 * single output must be logits [n, classes]. Only outputs are read, so every score- and
 * decision-based attack runs on it; {@link TorchScriptModel} adds input gradients for PyTorch.
 *
 * <p>Thread-safe: DJL's {@link Predictor} is not, so each call borrows one from a pool (a thread
 * that finds none idle makes one); {@link #close()} closes them, not the DJL model, which stays
 * the caller's.
 *
 * <pre>{@code
 * try (ZooModel<NDList, NDList> zoo = Criteria.builder().setTypes(NDList.class, NDList.class)
 *         .optModelPath(Path.of("cnn.pt")).build().loadModel();
 *      DjlModel m = DjlModel.of(zoo, new int[] {1, 28, 28}, InputPreprocessing.DEFAULT, null)) {
 *     AttackOutcome o = new AttackRunner(m).run(squareAttack, images, labels, null);
 * }
 * }</pre>
 */
public final class DjlModel implements Model, AutoCloseable {
    /** The largest c*h*w taken (a 4096 x 4096 RGB image), as for ONNX models. */
    static final long MAX_INPUT = 3L * 4096 * 4096;
    private final ai.djl.Model model;
    private final String name;
    private final InputPreprocessing pre;
    private final int[] shape;
    private final UnaryOperator<Tensor> transform;
    private final int classes;
    private final List<String> classNames;
    private final ConcurrentLinkedDeque<Predictor<Tensor, Tensor>> idle = new ConcurrentLinkedDeque<>();
    private final List<Predictor<Tensor, Tensor>> all = new ArrayList<>();

    private DjlModel(ai.djl.Model model, String name, int[] inputShape, InputPreprocessing pre, List<String> classNames) {
        this.model = model;
        this.name = name;
        this.pre = pre;
        this.shape = checkShape(inputShape, name);
        this.transform = pre.transform(shape[0]);
        Tensor probe;
        try {
            probe = logitsOf(Tensor.zeros(1, shape[0], shape[1], shape[2]), true);
        } catch (IllegalArgumentException e) {
            close();
            throw probeFailed(name, shape, e);
        }
        this.classes = probe.dim(1);
        try {
            this.classNames = names(classNames, classes, name);
        } catch (FeintException e) {
            close();
            throw e;
        }
    }

    /** A model that does not run on one input of its declared shape: the shape, and libtorch's (or the engine's) reason. */
    static FeintException probeFailed(String name, int[] shape, IllegalArgumentException e) {
        String why = e.getMessage(), prefix = name + " failed on input ";
        if (why.startsWith(prefix) && why.indexOf("]: ", prefix.length()) >= 0) why = why.substring(why.indexOf("]: ", prefix.length()) + 3);
        return new FeintException(name + ": the model does not run on one input [1, " + shape[0] + ", " + shape[1] + ", " + shape[2]
                + "] (is the input shape right?): " + why);
    }

    /** The given class names checked against k, or "0", "1", ... when none are given. */
    static List<String> names(List<String> given, int k, String name) {
        if (given != null && given.size() != k)
            throw new FeintException(given.size() + " class names given, " + name + " has " + k + " classes");
        return given == null ? Datasets.numbered(k) : List.copyOf(given);
    }

    /**
     * Wraps a loaded DJL model whose block maps one input [n, c, h, w] (or [n, h, w, c] when
     * {@code pre.nhwc()}) to logits [n, classes]; one probe on zeros checks that and finds the
     * number of classes. {@code classNames} may be null ("0", "1", ...).
     *
     * @param model the loaded DJL model (any engine); it stays the caller's to close
     * @param inputShape the input [c, h, w] as Feint feeds it
     * @param pre the preprocessing the model expects
     * @param classNames the class names, or null for "0", "1", ...
     * @return a black-box model answering through DJL's predictor
     */
    public static DjlModel of(ai.djl.Model model, int[] inputShape, InputPreprocessing pre, List<String> classNames) {
        return new DjlModel(model, model.getName(), inputShape, pre, classNames);
    }

    /** {@return the preprocessing applied before the model is called} */
    public InputPreprocessing preprocessing() { return pre; }

    /** {@return the class names, one per logit} */
    public List<String> classNames() { return classNames; }

    /** {@return the DJL model behind it} */
    public ai.djl.Model djlModel() { return model; }

    @Override public int numClasses() { return classes; }

    @Override public Bounds bounds() { return pre.range(); }

    @Override public int[] inputShape() { return shape.clone(); }

    @Override public Tensor logits(Tensor x) {
        check(x);
        return logitsOf(x, false);
    }

    /** Logits [n, k] through a pooled predictor; {@code probe} accepts any k. */
    private Tensor logitsOf(Tensor x, boolean probe) {
        Tensor h;
        try (var ng = Grad.noGrad()) {
            h = transform.apply(x);
        }
        Predictor<Tensor, Tensor> p = idle.pollFirst();
        if (p == null) {
            p = model.newPredictor(new LogitsTranslator());
            synchronized (all) {
                all.add(p);
            }
        }
        Tensor z;
        try {
            z = p.predict(h);
        } catch (TranslateException | RuntimeException e) {
            throw new IllegalArgumentException(name + " failed on input " + h.shape() + ": " + firstLine(e));
        } finally {
            idle.offerFirst(p);
        }
        if (z.rank() != 2 || z.dim(0) != x.dim(0) || (!probe && z.dim(1) != classes))
            throw new IllegalArgumentException(name + " gave " + z.shape() + " for " + x.dim(0) + " inputs; a classifier gives [n, "
                    + (probe ? "classes" : Integer.toString(classes)) + "]");
        return z;
    }

    /**
     * The gist of a native failure in one line: libtorch's messages carry a C++ backtrace, and the
     * TorchScript interpreter's a TorchScript traceback before the error itself ("RuntimeError: ...").
     */
    static String firstLine(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && (c.getMessage() == null || c instanceof TranslateException)) c = c.getCause();
        String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage().strip();
        String[] lines = m.split("\n");
        for (int i = lines.length - 1; i >= 0; i--) {
            String l = lines[i].strip();
            if (l.matches("[A-Za-z]*Error: .*")) return l.substring(l.indexOf(':') + 2);
        }
        return lines[0].strip();
    }

    /** Copies an NDArray of logits [n, k] (float32) into a Feint tensor. */
    static Tensor toTensor(NDArray a, String name) {
        Shape s = a.getShape();
        if (a.getDataType() != DataType.FLOAT32)
            throw new IllegalArgumentException(name + " gave " + a.getDataType() + " outputs, expected float32 logits");
        int[] dims = new int[s.dimension()];
        for (int i = 0; i < dims.length; i++) dims[i] = Math.toIntExact(s.get(i));
        return Tensor.of(a.toFloatArray(), dims);
    }

    /** An NDArray holding a copy of t, in the manager m. */
    static NDArray toNd(ai.djl.ndarray.NDManager m, Tensor t) {
        long[] dims = new long[t.rank()];
        for (int i = 0; i < dims.length; i++) dims[i] = t.dim(i);
        return m.create(t.data(), new Shape(dims));
    }

    private void check(Tensor x) { Model.checkInput(x, shape); }

    static int[] checkShape(int[] s, String name) {
        if (s == null || s.length != 3 || s[0] < 1 || s[1] < 1 || s[2] < 1 || (long) s[0] * s[1] * s[2] > MAX_INPUT)
            throw new FeintException(name + ": input shape " + (s == null ? "missing" : java.util.Arrays.toString(s))
                    + " (expected c, h, w, each >= 1, c*h*w at most " + MAX_INPUT + ")");
        return s.clone();
    }

    @Override public void close() {
        synchronized (all) {
            for (Predictor<Tensor, Tensor> p : all) p.close();
            all.clear();
            idle.clear();
        }
    }

    private final class LogitsTranslator implements Translator<Tensor, Tensor> {
        @Override public NDList processInput(TranslatorContext ctx, Tensor h) { return new NDList(toNd(ctx.getNDManager(), h)); }

        @Override public Tensor processOutput(TranslatorContext ctx, NDList out) {
            if (out.size() != 1) throw new IllegalArgumentException(name + " has " + out.size() + " outputs; a classifier has one (the logits)");
            return toTensor(out.singletonOrThrow(), name);
        }

        @Override public Batchifier getBatchifier() { return null; }   // inputs are batches already
    }
}
