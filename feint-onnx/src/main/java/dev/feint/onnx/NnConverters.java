package dev.feint.onnx;

import dev.feint.autograd.Elementwise;
import dev.feint.autograd.LinearAlgebra;
import dev.feint.autograd.Normalization;
import dev.feint.autograd.Pooling;
import dev.feint.autograd.Reductions;
import dev.feint.autograd.Shapes;
import dev.feint.autograd.Softmax;
import dev.feint.nn.Graph;
import dev.feint.nn.GraphOps;
import dev.feint.tensor.Tensor;

import java.util.Map;

/** Layers: Conv, Gemm, MatMul, pools, BatchNormalization, Flatten, Softmax, Dropout, Identity. */
final class NnConverters {
    private NnConverters() {}

    static void register(Map<String, Converter> m) {
        m.put("Conv", NnConverters::conv);
        m.put("Gemm", NnConverters::gemm);
        m.put("MatMul", n -> (in, tr) -> one(matmul(in[0], in[1])));
        m.put("MaxPool", NnConverters::maxPool);
        m.put("AveragePool", NnConverters::avgPool);
        m.put("GlobalAveragePool", n -> (in, tr) -> one(global(in[0], false)));
        m.put("GlobalMaxPool", n -> (in, tr) -> one(global(in[0], true)));
        m.put("BatchNormalization", NnConverters::batchNorm);
        m.put("Flatten", NnConverters::flatten);
        m.put("Dropout", NnConverters::dropout);
        m.put("Identity", n -> (in, tr) -> new Tensor[] {in[0]});
        m.put("Softmax", n -> softmax(n, false));
        m.put("LogSoftmax", n -> softmax(n, true));
    }

    static Tensor[] one(Tensor t) { return new Tensor[] {t}; }

    /** One value for each of the two spatial axes, all equal: what the square kernels take. */
    private static int square(OnnxNode n, String attr, int def, int count) {
        int[] v = n.intArray(attr, null);
        if (v == null) return def;
        if (v.length != count) throw n.fail(attr + " has " + v.length + " values, expected " + count);
        for (int x : v)
            if (x != v[0]) throw n.fail(attr + " " + java.util.Arrays.toString(v) + " differ; Feint's kernels take equal values on both axes (not supported yet)");
        return v[0];
    }

    private static void noAutoPad(OnnxNode n) {
        String ap = n.s("auto_pad", "NOTSET");
        if (!ap.equals("NOTSET") && !ap.equals("VALID")) throw n.fail("auto_pad " + ap + " is not supported yet (give explicit pads)");
    }

    private static Graph.Op conv(OnnxNode n) {
        noAutoPad(n);
        Tensor w = n.known(1);
        if (w != null && w.rank() != 4) throw n.fail("only 2-D convolutions are supported, weight has shape " + w.shape());
        if (n.i("group", 1) != 1) throw n.fail("group " + n.i("group", 1) + " is not supported yet (grouped and depthwise convolutions)");
        int stride = square(n, "strides", 1, 2), pad = square(n, "pads", 0, 4), dil = square(n, "dilations", 1, 2);
        return new GraphOps.Conv(stride, pad, dil);
    }

    private static Graph.Op gemm(OnnxNode n) {
        float alpha = n.f("alpha", 1f), beta = n.f("beta", 1f);
        boolean ta = n.i("transA", 0) != 0, tb = n.i("transB", 0) != 0;
        Tensor c = n.known(2);
        boolean biasVector = !n.hasInput(2) || (c != null && c.rank() == 1);
        if (!ta && tb && alpha == 1f && (beta == 1f || !n.hasInput(2)) && biasVector) return new GraphOps.Linear();
        return (in, tr) -> {
            Tensor a = ta ? Shapes.transpose(in[0]) : in[0], b = tb ? Shapes.transpose(in[1]) : in[1];
            Tensor y = LinearAlgebra.matmul(a, b);
            if (alpha != 1f) y = Elementwise.scale(y, alpha);
            if (in.length > 2 && in[2] != null) y = y.add(beta == 1f ? in[2] : Elementwise.scale(in[2], beta));
            return one(y);
        };
    }

    /** NumPy matmul: 1-D operands promoted and their axis removed again; batch axes broadcast. */
    static Tensor matmul(Tensor a, Tensor b) {
        boolean va = a.rank() == 1, vb = b.rank() == 1;
        if (va) a = a.reshape(1, a.dim(0));
        if (vb) b = b.reshape(b.dim(0), 1);
        Tensor y;
        if (a.rank() == 2 && b.rank() == 2) y = LinearAlgebra.matmul(a, b);
        else if (b.rank() == 2) {                                   // [..., m, k] x [k, n]: one product
            int[] d = a.dims();
            Tensor flat = LinearAlgebra.matmul(a.reshape(-1, d[d.length - 1]), b);
            d[d.length - 1] = b.dim(1);
            y = flat.reshape(d);
        } else y = BatchedMatmul.of(a, b);
        if (va) y = squeezeAxis(y, y.rank() - 2);
        if (vb) y = squeezeAxis(y, y.rank() - 1);
        return y;
    }

    private static Tensor squeezeAxis(Tensor y, int axis) {
        int[] d = y.dims(), o = new int[d.length - 1];
        for (int i = 0, j = 0; i < d.length; i++) if (i != axis) o[j++] = d[i];
        return y.reshape(o);
    }

    private static Graph.Op maxPool(OnnxNode n) {
        noAutoPad(n);
        if (n.node.outputs().size() > 1 && !n.node.outputs().get(1).isEmpty()) throw n.fail("the Indices output is not supported");
        if (n.i("ceil_mode", 0) != 0) throw n.fail("ceil_mode 1 is not supported yet");
        int k = square(n, "kernel_shape", -1, 2), s = square(n, "strides", 1, 2), p = square(n, "pads", 0, 4);
        if (square(n, "dilations", 1, 2) != 1) throw n.fail("dilations are not supported yet");
        if (k < 1) throw n.fail("kernel_shape is required");
        if (2 * p > k) throw n.fail("pads " + p + " wider than half the window " + k + " are not supported yet");
        return new GraphOps.MaxPool(k, s, p);
    }

    private static Graph.Op avgPool(OnnxNode n) {
        noAutoPad(n);
        if (n.i("ceil_mode", 0) != 0) throw n.fail("ceil_mode 1 is not supported yet");
        int k = square(n, "kernel_shape", -1, 2), s = square(n, "strides", 1, 2), p = square(n, "pads", 0, 4);
        if (k < 1) throw n.fail("kernel_shape is required");
        if (p > 0 && n.i("count_include_pad", 0) == 0) throw n.fail("padding with count_include_pad 0 is not supported yet");
        if (2 * p > k) throw n.fail("pads " + p + " wider than half the window " + k + " are not supported yet");
        return (in, tr) -> one(Pooling.avgPool2d(in[0], k, s, p));
    }

    static Tensor global(Tensor x, boolean max) {
        if (x.rank() < 3) throw new IllegalArgumentException("global pooling needs [n, c, ...], got " + x.shape());
        int n = x.dim(0), c = x.dim(1);
        Tensor flat = x.reshape(n, c, -1);
        Tensor r = max ? Reductions.max(flat, 2, true) : Reductions.mean(flat, 2, true);
        int[] d = new int[x.rank()];
        java.util.Arrays.fill(d, 1);
        d[0] = n;
        d[1] = c;
        return r.reshape(d);
    }

    private static Graph.Op batchNorm(OnnxNode n) {
        if (n.i("training_mode", 0) != 0) throw n.fail("training_mode 1 is not supported (export the model in eval mode)");
        for (int k = 1; k < n.node.outputs().size(); k++)
            if (!n.node.outputs().get(k).isEmpty()) throw n.fail("the running-statistics outputs are not supported");
        float eps = n.f("epsilon", 1e-5f), momentum = n.f("momentum", 0.9f);
        // ONNX's momentum weighs the old running value; Feint's (PyTorch's) weighs the new one.
        return (in, training) -> one(Normalization.batchNorm(in[0], in[1], in[2], in[3].data(), in[4].data(), training, 1f - momentum, eps));
    }

    /** Inference: the identity, with an all-true mask; a run in training mode is refused (its random mask is no one's). */
    private static Graph.Op dropout(OnnxNode n) {
        return (in, tr) -> {
            if (in.length > 2 && in[2] != null && in[2].data()[0] != 0 && (in[1] == null || in[1].data()[0] != 0))
                throw n.fail("training_mode true is not supported (Dropout runs as in inference)");
            Tensor mask = Tensor.full(1f, in[0].dims());
            return new Tensor[] {in[0], mask};
        };
    }

    private static Graph.Op flatten(OnnxNode n) {
        int axis = (int) n.i("axis", 1);
        return (in, tr) -> {
            Tensor x = in[0];
            int a = axis < 0 ? axis + x.rank() : axis;
            if (a < 0 || a > x.rank()) throw n.fail("axis " + axis + " out of range for " + x.shape());
            return one(x.reshape(x.shape().sizeBetween(0, a), x.shape().sizeBetween(a, x.rank())));
        };
    }

    /** Softmax along an axis (opset 13+), or over the flattened trailing axes from axis on (before 13). */
    private static Graph.Op softmax(OnnxNode n, boolean log) {
        boolean coerce = n.opset < 13;
        int axis = (int) n.i("axis", coerce ? 1 : -1);
        return (in, tr) -> {
            Tensor x = in[0];
            int a = Values.axis(axis, Math.max(1, x.rank()), n);
            if (coerce) {
                Tensor y = x.reshape(x.shape().sizeBetween(0, a), x.shape().sizeBetween(a, x.rank()));
                return one((log ? Softmax.logSoftmax(y) : Softmax.softmax(y)).reshape(x.dims()));
            }
            int r = x.rank();
            if (a == r - 1) return one(log ? Softmax.logSoftmax(x) : Softmax.softmax(x));
            int[] perm = new int[r];
            for (int i = 0; i < r; i++) perm[i] = i;
            perm[a] = r - 1;
            perm[r - 1] = a;
            Tensor p = Shapes.permute(x, perm);
            return one(Shapes.permute(log ? Softmax.logSoftmax(p) : Softmax.softmax(p), perm));
        };
    }
}
