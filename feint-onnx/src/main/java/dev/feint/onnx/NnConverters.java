package dev.feint.onnx;

import dev.feint.autograd.ConvOptions;
import dev.feint.autograd.Convolutions;
import dev.feint.autograd.Elementwise;
import dev.feint.autograd.LinearAlgebra;
import dev.feint.autograd.Normalization;
import dev.feint.autograd.PoolOptions;
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

    /** A 2-D attribute list ([h, w], or pads [top, left, bottom, right]) with its default. */
    private static int[] pair(OnnxNode n, String attr, int def, int count) {
        int[] v = n.intArray(attr, null);
        if (v == null) {
            v = new int[count];
            java.util.Arrays.fill(v, def);
        }
        if (v.length != count)
            throw n.fail(attr + " has " + v.length + " values, expected " + count + " (only 2-D " + n.op() + " is supported)");
        return v;
    }

    /** SAME_UPPER / SAME_LOWER padding for one axis: [before, after] so the output is ceil(in / stride). */
    private static int[] samePads(int in, int k, int stride, int dilation, boolean upper) {
        int out = (in + stride - 1) / stride, total = Math.max(0, (out - 1) * stride + (k - 1) * dilation + 1 - in);
        int small = total / 2, big = total - small;
        return upper ? new int[] {small, big} : new int[] {big, small};
    }

    /** The auto_pad mode: null for explicit pads (NOTSET, VALID), else whether it is SAME_UPPER. */
    private static Boolean autoPad(OnnxNode n) {
        String ap = n.s("auto_pad", "NOTSET");
        return switch (ap) {
            case "NOTSET", "VALID" -> null;
            case "SAME_UPPER" -> Boolean.TRUE;
            case "SAME_LOWER" -> Boolean.FALSE;
            default -> throw n.fail("auto_pad '" + ap + "' (expected NOTSET, VALID, SAME_UPPER or SAME_LOWER)");
        };
    }

    private static Graph.Op conv(OnnxNode n) {
        Tensor w = n.known(1);
        if (w != null && w.rank() != 4) throw n.fail("only 2-D convolutions are supported, weight has shape " + w.shape());
        int[] st = pair(n, "strides", 1, 2), dil = pair(n, "dilations", 1, 2), pads = pair(n, "pads", 0, 4);
        int groups = (int) n.i("group", 1);
        Boolean same = autoPad(n);
        if (n.s("auto_pad", "NOTSET").equals("VALID")) pads = new int[4];
        if (same == null) {
            try {
                return new GraphOps.Conv(new ConvOptions(st[0], st[1], pads[0], pads[1], pads[2], pads[3], dil[0], dil[1], groups));
            } catch (IllegalArgumentException e) {
                throw n.fail(e.getMessage());
            }
        }
        boolean upper = same;
        return (in, tr) -> {
            Tensor x = in[0], k = in[1];
            if (x.rank() != 4 || k.rank() != 4) throw n.fail("only 2-D convolutions are supported, got " + x.shape() + " and " + k.shape());
            int[] ph = samePads(x.dim(2), k.dim(2), st[0], dil[0], upper), pw = samePads(x.dim(3), k.dim(3), st[1], dil[1], upper);
            ConvOptions o = new ConvOptions(st[0], st[1], ph[0], pw[0], ph[1], pw[1], dil[0], dil[1], groups);
            return one(Convolutions.conv2d(x, k, in.length > 2 ? in[2] : null, o));
        };
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
        if (n.node.outputs().size() > 1 && !n.node.outputs().get(1).isEmpty()) throw n.fail("the Indices output is not supported");
        return pool(n, true);
    }

    private static Graph.Op avgPool(OnnxNode n) { return pool(n, false); }

    /** MaxPool and AveragePool with ONNX's pads, strides, dilations, ceil_mode, count_include_pad and auto_pad. */
    private static Graph.Op pool(OnnxNode n, boolean max) {
        int[] k = n.intArray("kernel_shape", null);
        if (k == null) throw n.fail("attribute kernel_shape is required");
        if (k.length != 2) throw n.fail("kernel_shape has " + k.length + " values; only 2-D pooling is supported");
        int[] st = pair(n, "strides", 1, 2), dil = pair(n, "dilations", 1, 2), pads = pair(n, "pads", 0, 4);
        boolean ceil = n.i("ceil_mode", 0) != 0, include = n.i("count_include_pad", 0) != 0;
        Boolean same = autoPad(n);
        if (n.s("auto_pad", "NOTSET").equals("VALID")) pads = new int[4];
        java.util.function.Function<Tensor, PoolOptions> options;
        if (same == null) {
            PoolOptions o;
            try {
                o = new PoolOptions(k[0], k[1], st[0], st[1], pads[0], pads[1], pads[2], pads[3], dil[0], dil[1], ceil, include);
            } catch (IllegalArgumentException e) {
                throw n.fail(e.getMessage());
            }
            if (max) return new GraphOps.MaxPool(o);
            options = x -> o;
        } else {
            boolean upper = same;
            options = x -> {
                if (x.rank() != 4) throw n.fail("only 2-D pooling is supported, got " + x.shape());
                int[] ph = samePads(x.dim(2), k[0], st[0], dil[0], upper), pw = samePads(x.dim(3), k[1], st[1], dil[1], upper);
                return new PoolOptions(k[0], k[1], st[0], st[1], ph[0], pw[0], ph[1], pw[1], dil[0], dil[1], ceil, include);
            };
        }
        return (in, tr) -> one(max ? Pooling.maxPool2d(in[0], options.apply(in[0])) : Pooling.avgPool2d(in[0], options.apply(in[0])));
    }

    static Tensor global(Tensor x, boolean max) {
        // Over a 1x1 map (a ResNet's or MobileNet's last map on 32x32 input) the pool is the identity:
        // the pooling kernel's per-plane cost was 0.16 ms for MobileNet-V2's 64 x 1280 planes of one value.
        if (x.rank() == 4 && x.dim(2) == 1 && x.dim(3) == 1) return x;
        if (x.rank() == 4) return max ? Pooling.globalMaxPool(x) : Pooling.globalAvgPool(x);
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
