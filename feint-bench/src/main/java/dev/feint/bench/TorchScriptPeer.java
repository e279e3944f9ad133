package dev.feint.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;

import java.nio.file.Path;

/**
 * A TorchScript model (scripts/make-bench-models.py traces torchvision's) in PyTorch through DJL,
 * in eval mode with its weights frozen, for the input-gradient step a PyTorch attack takes:
 * {@code x.requires_grad_(); CE(model(x), y, reduction='sum').backward(); x.grad}. Call
 * {@link DjlPeer#configure} first.
 */
public final class TorchScriptPeer implements AutoCloseable {
    private final NDManager base;
    private final PtSymbolBlock block;
    private final int classes;

    public TorchScriptPeer(Path file, int threads, int classes) {
        Engine e = Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        base = e.newBaseManager();
        // Loaded trainable (inference-mode weights cannot take part in a backward pass), then frozen:
        // the backward computes the input gradient only, as Feint's does.
        block = JniUtils.loadModule((PtNDManager) base, file, true, new String[0], new String[0], true);
        for (NDArray p : JniUtils.moduleGetParams(block, (PtNDManager) base)) p.setRequiresGradient(false);
        JniUtils.enableInferenceMode(block);
        this.classes = classes;
    }

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

    @Override public void close() {
        block.close();
        base.close();
    }
}
