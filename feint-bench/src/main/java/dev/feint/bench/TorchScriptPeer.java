package dev.feint.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

import java.nio.file.Path;

/**
 * A TorchScript model (scripts/make-bench-models.py traces torchvision's) in PyTorch through DJL,
 * in eval mode with its weights frozen, for the input-gradient step a PyTorch attack takes:
 * {@code x.requires_grad_(); CE(model(x), y, reduction='sum').backward(); x.grad}; or, from
 * {@link #training}, in train mode (BatchNorm on batch statistics, a scripted module) for plain SGD
 * steps. Call {@link DjlPeer#configure} first.
 */
final class TorchScriptPeer implements AutoCloseable {
    private final NDManager base;
    private final PtSymbolBlock block;
    private final NDList params;
    private final int classes;

    public TorchScriptPeer(Path file, int threads, int classes) { this(file, threads, classes, false); }

    private TorchScriptPeer(Path file, int threads, int classes, boolean train) {
        Engine e = Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        base = e.newBaseManager();
        // Loaded trainable (inference-mode weights cannot take part in a backward pass), then, for
        // attacks, frozen: the backward computes the input gradient only, as Feint's does.
        block = JniUtils.loadModule((PtNDManager) base, file, true, new String[0], new String[0], true);
        params = JniUtils.moduleGetParams(block, (PtNDManager) base);
        for (NDArray p : params) p.setRequiresGradient(train);
        if (train) JniUtils.enableTrainingMode(block);
        else JniUtils.enableInferenceMode(block);
        this.classes = classes;
    }

    /** The module in train mode with its parameters trainable, for {@link #trainStep}. */
    public static TorchScriptPeer training(Path file, int threads, int classes) { return new TorchScriptPeer(file, threads, classes, true); }

    /**
     * The module's forward with autograd on and the module left in eval mode (BatchNorm on running
     * statistics): DJL's own forward ties the two, turning autograd off for an eval-mode module.
     */
    private NDArray forward(NDArray x) {
        return IValueUtils.forward(block, new NDList(x), true).singletonOrThrow();
    }

    /** Logits [n * classes] (no autograd). */
    public float[] logits(float[] x, int n, int c, int h, int w) {
        try (NDManager it = base.newSubManager()) {
            return forward(it.create(x, new Shape(n, c, h, w))).toFloatArray();
        }
    }

    /** Gradient of the summed cross-entropy with respect to the input [n*c*h*w]. */
    public float[] inputGradient(float[] x, int[] labels, int n, int c, int h, int w) {
        try (NDManager it = base.newSubManager()) {
            NDArray xa = it.create(x, new Shape(n, c, h, w));
            NDArray y = it.create(labels).oneHot(classes, DataType.FLOAT32);
            xa.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(forward(xa).logSoftmax(1).mul(y).sum().neg());
            }
            return xa.getGradient().toFloatArray();
        }
    }

    /**
     * One plain SGD step on the mean cross-entropy ({@code loss.backward(); p -= lr * p.grad;
     * p.grad.zero_()}); in train mode BatchNorm uses batch statistics and updates its running ones.
     */
    public void trainStep(float[] x, int[] labels, float lr, int n, int c, int h, int w) {
        try (NDManager it = base.newSubManager()) {
            NDArray xa = it.create(x, new Shape(n, c, h, w));
            NDArray y = it.create(labels).oneHot(classes, DataType.FLOAT32);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(forward(xa).logSoftmax(1).mul(y).sum().neg().div(n));
            }
            for (NDArray p : params) {
                NDArray g = p.getGradient();
                g.tempAttach(it);
                p.subi(g.mul(lr));
                JniUtils.zeroGrad((PtNDArray) p);
            }
        }
    }

    /** The current value of the module's parameter {@code index} (in the module's order; 0 is the first conv's weight). */
    public float[] parameter(int index) { return params.get(index).toFloatArray(); }

    @Override public void close() {
        block.close();
        base.close();
    }
}
