package dev.feint.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PyTorch (libtorch through DJL's PyTorch engine), eager mode, driven with raw NDArray ops that
 * map one to one onto ATen calls: conv2d, relu, max_pool2d, reshape, linear, log_softmax. The
 * network is madry-cnn with the weights copied from Feint. The three workloads mirror what a
 * PyTorch user writes:
 * <ul>
 *   <li>forward: {@code with torch.no_grad(): model(x)};</li>
 *   <li>PGD step: {@code x.requires_grad_(); loss = CE(model(x), y, reduction='sum'); loss.backward();
 *       x = min(max(x.detach() + alpha * x.grad.sign(), lo), hi)} with lo/hi the eps-ball clipped to [0, 1];</li>
 *   <li>training step: {@code loss = CE(model(x), y); loss.backward(); w -= lr * w.grad} (plain SGD) and the
 *       gradients zeroed.</li>
 * </ul>
 * Runs offline: the libtorch binaries come from the {@code pytorch-native-cpu} jar on the classpath
 * and the JNI library from {@code pytorch-jni}; {@link #configure} sets {@code ai.djl.offline=true}
 * so nothing is downloaded.
 */
final class DjlPeer implements AutoCloseable {
    private final NDManager base;
    private final List<NDArray> params = new ArrayList<>();
    private final NDArray w0, b0, w3, b3, w7, b7, w9, b9;
    private final int classes;

    /** Must run before the first DJL class initialises the engine. */
    public static void configure(int threads) {
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("ai.djl.default_engine", "PyTorch");
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        System.setProperty("ai.djl.pytorch.graph_optimizer", "false");
        System.setProperty("disableProgressBar", "true");
        // DJL logs through SLF4J; with no provider bound SLF4J warns on stderr. Keep the table clean.
        if (System.getProperty("slf4j.internal.verbosity") == null) System.setProperty("slf4j.internal.verbosity", "ERROR");
    }

    /** "PyTorch 2.7.1 (DJL 0.36.0)"; initialises the engine. */
    public static String version() {
        Engine e = Engine.getEngine("PyTorch");
        return "PyTorch " + e.getVersion() + " (DJL " + Engine.getDjlVersion() + ")";
    }

    /** Intra-op threads as libtorch reports them. */
    public static int threads() { return JniUtils.getNumThreads(); }

    public DjlPeer(Map<String, Tensor> weights, int threads) {
        Engine e = Engine.getEngine("PyTorch");
        JniUtils.setNumThreads(threads);
        base = e.newBaseManager();
        w0 = param(weights, "0.weight");
        b0 = param(weights, "0.bias");
        w3 = param(weights, "3.weight");
        b3 = param(weights, "3.bias");
        w7 = param(weights, "7.weight");
        b7 = param(weights, "7.bias");
        w9 = param(weights, "9.weight");
        b9 = param(weights, "9.bias");
        classes = (int) w9.getShape().get(0);
    }

    private NDArray param(Map<String, Tensor> weights, String name) {
        Tensor t = weights.get(name);
        if (t == null) throw new IllegalArgumentException("missing weight " + name);
        long[] dims = new long[t.rank()];
        for (int i = 0; i < dims.length; i++) dims[i] = t.dim(i);
        NDArray a = base.create(t.data().clone(), new Shape(dims));
        params.add(a);
        return a;
    }

    private NDArray forward(NDArray x) {
        Shape s1 = new Shape(1, 1), p2 = new Shape(2, 2), d1 = new Shape(1, 1), k2 = new Shape(2, 2), z = new Shape(0, 0);
        NDArray h = Conv2d.conv2d(x, w0, b0, s1, p2, d1, 1).singletonOrThrow();
        h = Activation.relu(h);
        h = Pool.maxPool2d(h, k2, k2, z, false);
        h = Conv2d.conv2d(h, w3, b3, s1, p2, d1, 1).singletonOrThrow();
        h = Activation.relu(h);
        h = Pool.maxPool2d(h, k2, k2, z, false);
        h = h.reshape(h.getShape().get(0), -1);
        h = Linear.linear(h, w7, b7).singletonOrThrow();
        h = Activation.relu(h);
        return Linear.linear(h, w9, b9).singletonOrThrow();
    }

    /** Cross-entropy summed over the batch: -sum_i log softmax(z_i)[y_i]. */
    private static NDArray crossEntropySum(NDArray logits, NDArray oneHot) {
        return logits.logSoftmax(1).mul(oneHot).sum().neg();
    }

    /** Logits [n * classes] (no autograd). */
    public float[] logits(float[] x, int n, int c, int h, int w) {
        try (NDManager it = base.newSubManager()) {
            NDArray xa = it.create(x, new Shape(n, c, h, w));
            return forward(xa).toFloatArray();
        }
    }

    /** One inference forward, input copied in from Java, logits left native (as a served model). */
    public void forwardOnce(float[] x, int n, int c, int h, int w) {
        try (NDManager it = base.newSubManager()) {
            NDArray xa = it.create(x, new Shape(n, c, h, w));
            NDArray z = forward(xa);
            if (z.getShape().get(1) != classes) throw new IllegalStateException();
        }
    }

    /** Gradient of the summed cross-entropy with respect to the input [n*c*h*w]. */
    public float[] inputGradient(float[] x, int[] labels, int n, int c, int h, int w) {
        try (NDManager it = base.newSubManager()) {
            NDArray xa = it.create(x, new Shape(n, c, h, w));
            NDArray y = oneHot(it, labels);
            xa.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(crossEntropySum(forward(xa), y));
            }
            return xa.getGradient().toFloatArray();
        }
    }

    private NDArray oneHot(NDManager m, int[] labels) {
        return m.create(labels).oneHot(classes, DataType.FLOAT32);
    }

    /** A PGD attack in progress on one batch: the adversarial batch stays native between steps. */
    public final class Pgd implements AutoCloseable {
        private final NDManager m = base.newSubManager();
        private final NDArray lo, hi, y;
        private final float alpha;
        private NDArray xadv;

        public Pgd(float[] x, int[] labels, float eps, float alpha, int n, int c, int h, int w) {
            NDArray x0 = m.create(x, new Shape(n, c, h, w));
            lo = x0.sub(eps).maximum(0f);
            hi = x0.add(eps).minimum(1f);
            y = oneHot(m, labels);
            this.alpha = alpha;
            xadv = x0;
        }

        public void step() {
            NDArray next;
            try (NDManager it = m.newSubManager()) {
                NDArray xs = xadv;
                xs.tempAttach(it);
                xs.setRequiresGradient(true);
                try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                    gc.backward(crossEntropySum(forward(xs), y));
                }
                NDArray g = xs.getGradient();
                next = xs.add(g.sign().muli(alpha)).maximum(lo).minimum(hi);
                next.attach(m);
            }
            if (xadv != null) xadv.close();
            xadv = next;
        }

        public float[] current() { return xadv.toFloatArray(); }

        @Override public void close() { m.close(); }
    }

    /** Plain SGD training on the peer's own copy of the weights. */
    public void trainStep(float[] x, int[] labels, float lr, int n, int c, int h, int w) {
        for (NDArray p : params) if (!p.hasGradient()) p.setRequiresGradient(true);
        try (NDManager it = base.newSubManager()) {
            NDArray xa = it.create(x, new Shape(n, c, h, w));
            NDArray y = oneHot(it, labels);
            try (GradientCollector gc = Engine.getEngine("PyTorch").newGradientCollector()) {
                gc.backward(crossEntropySum(forward(xa), y).div(n));
            }
            for (NDArray p : params) {
                NDArray g = p.getGradient();
                g.tempAttach(it);
                p.subi(g.mul(lr));
                JniUtils.zeroGrad((PtNDArray) p);
            }
        }
    }

    /** The current value of a named weight (after training steps). */
    public float[] weight(String name) {
        return switch (name) {
            case "0.weight" -> w0.toFloatArray();
            case "9.bias" -> b9.toFloatArray();
            default -> throw new IllegalArgumentException(name);
        };
    }

    @Override public void close() { base.close(); }
}
