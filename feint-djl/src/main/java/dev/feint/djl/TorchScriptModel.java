package dev.feint.djl;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.engine.EngineException;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.feint.FeintException;
import dev.feint.autograd.Grad;
import dev.feint.model.Bounds;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.Model;
import dev.feint.model.LossFunction;
import dev.feint.model.InputPreprocessing;
import dev.feint.tensor.Tensor;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * A TorchScript classifier ({@code torch.jit.trace} / {@code torch.jit.script} output, a {@code .pt}
 * file) served by DJL's PyTorch engine as a {@link DifferentiableModel}: logits from libtorch, and
 * input gradients from libtorch's autograd through DJL's {@link GradientCollector}, so every
 * white-box attack runs on it. Inputs [n, c, h, w] live in the user's range and go through
 * {@link InputPreprocessing} (in Feint's ops) before the module; the gradient comes back through it.
 *
 * <p>Any {@link LossFunction} works: the logits are copied out, the loss and its gradient with
 * respect to the logits computed by Feint, and libtorch runs the vector-Jacobian product of that
 * gradient back to the input. {@link #jacobianRows} is the interface's default (one forward and
 * one backward pass per row). TorchScript does not record its input shape, so the caller gives it.
 *
 * <p>The module runs in eval mode (BatchNorm running statistics, no dropout) whatever mode it was
 * saved in, with autograd on, which DJL's public forward does not offer (it turns autograd off
 * unless the module is in training mode), so the adapter keeps its own copy of the module and sets
 * that up once ({@link #evalWithAutograd}).
 *
 * <p>Thread-safe. Logits run in parallel; gradient passes are serialised across the process,
 * since DJL's PyTorch gradient collector allows one collecting at a time. Batches are taken as
 * given: an attack's batch is one libtorch call.
 *
 * <pre>{@code
 * try (TorchScriptModel m = TorchScriptModel.load(Path.of("lenet.pt"), new int[] {1, 28, 28},
 *         new InputPreprocessing(Bounds.UNIT, new float[] {0.286f}, new float[] {0.353f}, false, false), null)) {
 *     AttackOutcome o = new AttackRunner(m).run(pgd, images, labels, null);
 * }
 * }</pre>
 */
public final class TorchScriptModel implements DifferentiableModel, AutoCloseable {
    /** The largest TorchScript file taken. */
    static final long MAX_FILE = 4L << 30;
    /** PtGradientCollector refuses a second collector while one is open, in any thread. */
    private static final Object COLLECTOR = new Object();
    private final String name;
    private final ai.djl.Model owned;      // closed with this model, or null
    private final PtNDManager manager;     // holds the block
    private final PtSymbolBlock block;
    private final InputPreprocessing pre;
    private final int[] shape;
    private final UnaryOperator<Tensor> transform;
    private final int classes;
    private final List<String> classNames;

    private TorchScriptModel(String name, ai.djl.Model owned, PtNDManager manager, PtSymbolBlock block, int[] inputShape,
                             InputPreprocessing pre, List<String> classNames) {
        this.name = name;
        this.owned = owned;
        this.manager = manager;
        this.block = block;
        this.pre = pre;
        this.shape = DjlModel.checkShape(inputShape, name);
        this.transform = pre.transform(shape[0]);
        evalWithAutograd(block);
        Tensor probe;
        try {
            probe = forward(Tensor.zeros(1, shape[0], shape[1], shape[2]), -1);
        } catch (IllegalArgumentException e) {
            throw DjlModel.probeFailed(name, shape, e);
        }
        this.classes = probe.dim(1);
        this.classNames = DjlModel.names(classNames, classes, name);
    }

    /**
     * Loads a TorchScript file on the CPU. {@code inputShape} is [c, h, w] as Feint feeds it;
     * {@code classNames} may be null. Bad files are one {@link FeintException} naming the file.
     *
     * @param file the TorchScript {@code .pt} file
     * @param inputShape the input [c, h, w] (TorchScript does not record it)
     * @param pre the preprocessing the model expects
     * @param classNames the class names, or null for "0", "1", ...
     * @return a differentiable model with input gradients from libtorch
     */
    public static TorchScriptModel load(Path file, int[] inputShape, InputPreprocessing pre, List<String> classNames) {
        ai.djl.Model m = loadDjl(file);
        try {
            return new TorchScriptModel(file.toString(), m, (PtNDManager) m.getNDManager(), (PtSymbolBlock) m.getBlock(), inputShape, pre, classNames);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
    }

    /** The file checked and loaded by DJL on the CPU, with its parameters as plain (frozen) tensors. */
    static ai.djl.Model loadDjl(Path file) {
        checkFile(file);
        var engine = Libtorch.engine();
        ai.djl.Model m = engine.newModel(file.getFileName().toString(), Device.cpu());
        try {
            // DJL loads a module for inference (its weights inference tensors, which autograd
            // refuses) unless asked for trainable parameters; they are then frozen again.
            m.load(file.toAbsolutePath(), null, java.util.Map.of("trainParam", "true"));
            m.getBlock().freezeParameters(true);
            return m;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            m.close();
            throw new FeintException(file + ": not a TorchScript module libtorch " + engine.getVersion()
                    + " can load (expected the output of torch.jit.trace or torch.jit.script saved with torch.jit.save; a state_dict saved with torch.save is not one): "
                    + DjlModel.firstLine(e));
        }
    }

    /**
     * A differentiable view of a loaded DJL model of the PyTorch engine (a {@code ZooModel} from
     * {@code Criteria}, say). The module is copied, so the caller's predictors on it are unaffected
     * and the DJL model stays the caller's.
     *
     * @param model the loaded DJL model (PyTorch engine); it stays the caller's to close
     * @param inputShape the input [c, h, w] as Feint feeds it
     * @param pre the preprocessing the model expects
     * @param classNames the class names, or null for "0", "1", ...
     * @return a differentiable model with input gradients from libtorch
     */
    public static TorchScriptModel of(ai.djl.Model model, int[] inputShape, InputPreprocessing pre, List<String> classNames) {
        if (!(model.getBlock() instanceof PtSymbolBlock b))
            throw new FeintException(model.getName() + ": input gradients need a TorchScript module on DJL's PyTorch engine, the model runs on "
                    + model.getNDManager().getEngine().getEngineName() + " (wrap it with DjlModel.of for black-box attacks)");
        PtNDManager m = (PtNDManager) Libtorch.engine().newBaseManager(Device.cpu());
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            JniUtils.writeModule(b, bytes, false);
            PtSymbolBlock copy = JniUtils.loadModule(m, new ByteArrayInputStream(bytes.toByteArray()), true, false);
            copy.freezeParameters(true);
            return new TorchScriptModel(model.getName(), null, m, copy, inputShape, pre, classNames);
        } catch (IOException | RuntimeException e) {
            m.close();
            throw e instanceof FeintException f ? f : new FeintException(model.getName() + ": cannot copy the TorchScript module: " + DjlModel.firstLine(e));
        }
    }

    /** {@return the preprocessing applied before the model is called} */
    public InputPreprocessing preprocessing() { return pre; }

    /** {@return the class names, one per logit} */
    public List<String> classNames() { return classNames; }

    @Override public int numClasses() { return classes; }

    @Override public Bounds bounds() { return pre.range(); }

    @Override public int[] inputShape() { return shape.clone(); }

    @Override public Tensor logits(Tensor x) {
        check(x);
        Tensor h;
        try (var ng = Grad.noGrad()) {
            h = transform.apply(x);
        }
        return forward(h, classes);
    }

    @Override public Gradient gradient(Tensor x, LossFunction loss, float[] into) {
        check(x);
        if (!Grad.enabled()) throw new IllegalStateException("gradients requested inside a Grad.noGrad() scope");
        if (into != null && into.length != x.size()) throw new IllegalArgumentException("gradient buffer of " + into.length + " for " + x.shape());
        int n = x.dim(0);
        Tensor leaf = new Tensor(x.shape(), x.data()).requiresGrad(true);
        Tensor h = transform.apply(leaf);
        Tensor z;
        Tensor l;
        float[] gh;
        synchronized (COLLECTOR) {
            try (NDManager m = manager.newSubManager();
                 GradientCollector gc = Libtorch.engine().newGradientCollector()) {
                NDArray xa = DjlModel.toNd(m, h);
                xa.setRequiresGradient(true);
                NDArray za = run(m, xa);
                z = logits(za, n, classes).requiresGrad(true);
                l = loss.apply(z);
                if (l.rank() != 1 || l.dim(0) != n) throw new IllegalArgumentException("loss must be per example [" + n + "], got " + l.shape());
                l.sum().backward();
                Tensor dz = z.gradTensor() != null ? z.gradTensor() : Tensor.zeros(n, classes);
                // d sum(loss) / d input = J^T (d sum(loss) / d z): libtorch's backward of sum(z * dz).
                gc.backward(za.mul(DjlModel.toNd(m, dz)).sum());
                gh = xa.getGradient().toFloatArray();
            } catch (EngineException e) {
                throw new IllegalArgumentException(name + " failed on input " + h.shape() + ": " + DjlModel.firstLine(e));
            }
        }
        float[] g;
        if (h == leaf) {
            g = into == null ? gh : into;
            if (into != null) System.arraycopy(gh, 0, into, 0, gh.length);
        } else {
            if (into != null) {
                Arrays.fill(into, 0f);
                leaf.setGrad(into);
            }
            h.mul(Tensor.of(gh, h.dims())).sum().backward();     // back through the preprocessing
            g = leaf.grad();
        }
        return new Gradient(z.detach(), l.data(), g);
    }

    /** Logits for the model-side input h with autograd off (thread-local in libtorch); k &lt; 0 accepts any class count. */
    private Tensor forward(Tensor h, int k) {
        boolean was = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager m = manager.newSubManager()) {
            return logits(run(m, DjlModel.toNd(m, h)), h.dim(0), k);
        } catch (EngineException e) {
            throw new IllegalArgumentException(name + " failed on input " + h.shape() + ": " + DjlModel.firstLine(e));
        } finally {
            JniUtils.setGradMode(was);
        }
    }

    /** The module's forward, eval mode, autograd as the thread's grad mode says. */
    private NDArray run(NDManager m, NDArray x) {
        NDList out = block.forward(new ParameterStore(m, false), new NDList(x), true);
        if (out.size() != 1) throw new IllegalArgumentException(name + " has " + out.size() + " outputs; a classifier has one (the logits)");
        return out.singletonOrThrow();
    }

    private Tensor logits(NDArray za, int n, int k) {
        Tensor z = DjlModel.toTensor(za, name);
        if (z.rank() != 2 || z.dim(0) != n || (k >= 0 && z.dim(1) != k))
            throw new IllegalArgumentException(name + " gave " + z.shape() + " for " + n + " inputs; a classifier gives [n, " + (k < 0 ? "classes" : k) + "]");
        return z;
    }

    /**
     * Puts the module in eval mode (BatchNorm running statistics, no dropout), whatever mode it
     * was saved in. Autograd: DJL's {@code forward(..., training)} runs a module with autograd off
     * unless training is true, and switches the module to training mode when that flag changes;
     * a PtSymbolBlock starts with the flag true and this adapter only ever passes true, so the
     * module stays in eval mode and the thread's grad mode decides on autograd. The bn-dropout
     * fixture (saved in training mode, compared with its eval-mode outputs) checks both.
     */
    private static void evalWithAutograd(PtSymbolBlock block) {
        JniUtils.enableInferenceMode(block);
    }

    private void check(Tensor x) { Model.checkInput(x, shape); }

    /** Exists, is a regular file of a sane size, and is a zip archive (TorchScript's container). */
    private static void checkFile(Path file) {
        if (!Files.exists(file)) throw new FeintException(file + ": no such file (expected a TorchScript .pt file)");
        if (!Files.isRegularFile(file)) throw new FeintException(file + ": not a regular file (expected a TorchScript .pt file)");
        try (InputStream in = Files.newInputStream(file)) {
            long size = Files.size(file);
            if (size > MAX_FILE) throw new FeintException(file + ": " + size + " bytes, more than the " + MAX_FILE + " taken for a TorchScript file");
            byte[] magic = in.readNBytes(4);
            if (magic.length < 4 || magic[0] != 'P' || magic[1] != 'K' || magic[2] != 3 || magic[3] != 4)
                throw new FeintException(file + ": not a TorchScript file (a TorchScript .pt file is a zip archive written by torch.jit.save; this one does not start with one)");
        } catch (IOException e) {
            throw new FeintException(file + ": cannot read (" + e.getMessage() + ")");
        }
    }

    /** Frees the module (and the DJL model {@link #load} made). */
    @Override public void close() {
        if (owned != null) owned.close();
        else manager.close();
    }
}
