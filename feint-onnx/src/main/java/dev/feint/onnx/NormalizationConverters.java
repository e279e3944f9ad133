package dev.feint.onnx;

import dev.feint.autograd.Elementwise;
import dev.feint.autograd.Reductions;
import dev.feint.autograd.Unary;
import dev.feint.nn.Graph;
import dev.feint.tensor.Tensor;

import java.util.Map;

/** LayerNormalization and InstanceNormalization, composed of differentiable primitives (so their gradients are those of the parts). */
final class NormalizationConverters {
    private NormalizationConverters() {}

    static void register(Map<String, Converter> m) {
        m.put("LayerNormalization", NormalizationConverters::layerNorm);
        m.put("InstanceNormalization", NormalizationConverters::instanceNorm);
    }

    /** Over rows of a [rows, len] view: (x - mean) and 1 / sqrt(var + eps), both [rows, 1]. */
    static Tensor[] standardise(Tensor rows, float eps) {
        Tensor mu = Reductions.mean(rows, 1, true), d = rows.sub(mu);
        Tensor inv = Unary.pow(Elementwise.addScalar(Reductions.mean(d.mul(d), 1, true), eps), -0.5f);
        return new Tensor[] {d, inv, mu};
    }

    private static Graph.Op layerNorm(OnnxNode n) {
        int axis = (int) n.i("axis", -1);
        float eps = n.f("epsilon", 1e-5f);
        return (in, tr) -> {
            Tensor x = in[0];
            int a = Values.axis(axis, x.rank(), n);
            int outer = x.shape().sizeBetween(0, a), inner = x.shape().sizeBetween(a, x.rank());
            Tensor[] s = standardise(x.reshape(outer, inner), eps);
            Tensor y = s[0].mul(s[1]).reshape(x.dims()).mul(in[1]);
            if (in.length > 2 && in[2] != null) y = y.add(in[2]);
            int[] statDims = x.dims();
            for (int i = a; i < statDims.length; i++) statDims[i] = 1;
            return new Tensor[] {y, s[2].reshape(statDims), s[1].reshape(statDims)};
        };
    }

    private static Graph.Op instanceNorm(OnnxNode n) {
        float eps = n.f("epsilon", 1e-5f);
        return (in, tr) -> {
            Tensor x = in[0];
            if (x.rank() < 3) throw n.fail("input must be [n, c, ...], got " + x.shape());
            int batch = x.dim(0), c = x.dim(1);
            Tensor[] s = standardise(x.reshape(batch * c, -1), eps);
            int[] per = new int[x.rank()];
            java.util.Arrays.fill(per, 1);
            per[1] = c;
            return NnConverters.one(s[0].mul(s[1]).reshape(x.dims()).mul(in[1].reshape(per)).add(in[2].reshape(per)));
        };
    }
}
