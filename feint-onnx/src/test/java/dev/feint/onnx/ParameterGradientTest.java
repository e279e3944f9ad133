package dev.feint.onnx;

import dev.feint.model.InputPreprocessing;
import dev.feint.autograd.Grad;
import dev.feint.nn.Graph;
import dev.feint.nn.Network;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Gradients with respect to the parameters of an imported graph, what fine-tuning descends:
 * Conv, BatchNormalization (batch statistics in training mode, running ones in eval), Clip,
 * depthwise Conv, PRelu, a residual Add, GlobalAveragePool, Gemm and LayerNormalization, by
 * central differences against the backward pass; batch 1 included. Clip's bounds, initializers
 * that are settings, are constants, not parameters.
 */
class ParameterGradientTest {
    private static final SplittableRandom RNG = new SplittableRandom(11);

    static byte[] model() {
        Proto g = new Proto()
                .message(1, Proto.node("Conv", "c1", new String[] {"x", "w1", "b1"}, new String[] {"a"}).message(5, ints("pads", 1, 1, 1, 1)))
                .message(1, Proto.node("BatchNormalization", "bn", new String[] {"a", "s", "bb", "m", "v"}, new String[] {"bno"}))
                .message(1, Proto.node("Clip", "clip", new String[] {"bno", "lo", "hi"}, new String[] {"c"}))
                .message(1, Proto.node("Conv", "dw", new String[] {"c", "w2", "b2"}, new String[] {"d"})
                        .message(5, ints("pads", 1, 1, 1, 1)).message(5, integer("group", 4)))
                .message(1, Proto.node("PRelu", "pr", new String[] {"d", "slope"}, new String[] {"e"}))
                .message(1, Proto.node("Add", "res", new String[] {"e", "c"}, new String[] {"f"}))
                .message(1, Proto.node("GlobalAveragePool", "gap", new String[] {"f"}, new String[] {"gp"}))
                .message(1, Proto.node("Flatten", "flat", new String[] {"gp"}, new String[] {"fl"}))
                .message(1, Proto.node("Gemm", "fc", new String[] {"fl", "wf", "bf"}, new String[] {"h"}).message(5, integer("transB", 1)))
                .message(1, Proto.node("LayerNormalization", "ln", new String[] {"h", "ls", "lb"}, new String[] {"y"}))
                .message(5, init("w1", 4, 2, 3, 3)).message(5, init("b1", 4))
                .message(5, init("s", 4)).message(5, init("bb", 4)).message(5, init("m", 4)).message(5, positive("v", 4))
                .message(5, Proto.floatTensor("lo", new long[0], bytes(-0.5f))).message(5, Proto.floatTensor("hi", new long[0], bytes(0.6f)))
                .message(5, init("w2", 4, 1, 3, 3)).message(5, init("b2", 4)).message(5, init("slope", 4, 1, 1))
                .message(5, init("wf", 3, 4)).message(5, init("bf", 3)).message(5, init("ls", 3)).message(5, init("lb", 3))
                .message(11, Proto.valueInfo("x", DataType.FLOAT, -1, 2, 5, 5))
                .message(12, Proto.valueInfo("y", DataType.FLOAT, -1, 3));
        return Proto.model(17, g).toBytes();
    }

    @ParameterizedTest
    @CsvSource({"true,3", "false,2", "true,1"})
    void centralDifferencesAgreeForEveryParameter(boolean training, int batch) {
        OnnxTraining t = OnnxTraining.fromBytes(model(), "params.onnx", InputPreprocessing.DEFAULT, null);
        Network net = t.network();
        Graph g = (Graph) net.body();
        assertFalse(g.namedParameters().containsKey("lo") || g.namedParameters().containsKey("hi"), "Clip's bounds are settings");
        assertEquals(11, g.namedParameters().size(), "" + g.namedParameters().keySet());
        if (training) net.train(); else net.eval();
        float[] xd = new float[batch * 2 * 25];
        for (int i = 0; i < xd.length; i++) xd[i] = (float) RNG.nextDouble();
        Tensor x = Tensor.of(xd, batch, 2, 5, 5);
        float[] r = new float[batch * 3];
        for (int i = 0; i < r.length; i++) r[i] = (float) (RNG.nextDouble() * 2 - 1);
        Tensor rt = Tensor.of(r, batch, 3);
        net.body().zeroGrad();
        net.forward(x).mul(rt).sum().backward();
        for (Map.Entry<String, Tensor> e : g.namedParameters().entrySet()) {
            Tensor p = e.getValue();
            float[] v = p.data(), analytic = p.grad() == null ? new float[v.length] : p.grad().clone();   // null: no gradient reached it
            boolean nonZero = false;
            double h = 1e-2;
            for (int i = 0; i < v.length; i += Math.max(1, v.length / 12)) {
                float old = v[i];
                v[i] = (float) (old + h);
                p.markModified();
                double up = project(net, x, r);
                v[i] = (float) (old - h);
                p.markModified();
                double down = project(net, x, r);
                v[i] = old;
                p.markModified();
                double numeric = (up - down) / (2 * h);
                nonZero |= analytic[i] != 0;
                if (Math.abs(numeric - analytic[i]) > 3e-2 * Math.max(1, Math.abs(numeric)))
                    fail(e.getKey() + "[" + i + "] (training " + training + ", batch " + batch + "): analytic " + analytic[i] + " numeric " + numeric);
            }
            boolean cancelled = training && e.getKey().equals("b1");      // batch statistics subtract the conv bias again
            if (!cancelled) assertTrue(nonZero, e.getKey() + ": all gradients zero, the check proves nothing");
        }
    }

    private static double project(Network net, Tensor x, float[] r) {
        try (var ng = Grad.noGrad()) {
            float[] o = net.forward(x).data();
            double s = 0;
            for (int i = 0; i < r.length; i++) s += (double) o[i] * r[i];
            return s;
        }
    }

    private static Proto init(String name, long... dims) {
        int n = 1;
        for (long d : dims) n *= (int) d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (RNG.nextDouble() - 0.5);
        return Proto.floatTensor(name, dims, bytes(v));
    }

    private static Proto positive(String name, long... dims) {
        int n = 1;
        for (long d : dims) n *= (int) d;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float) (RNG.nextDouble() + 0.5);
        return Proto.floatTensor(name, dims, bytes(v));
    }

    static byte[] bytes(float... v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) b.putFloat(f);
        return b.array();
    }

    static Proto ints(String name, long... v) {
        Proto a = new Proto().string(1, name).varint(20, 7);
        for (long x : v) a.varint(8, x);
        return a;
    }

    static Proto integer(String name, long v) { return new Proto().string(1, name).varint(3, v).varint(20, 2); }
}
