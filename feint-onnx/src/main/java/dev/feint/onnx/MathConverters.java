package dev.feint.onnx;

import dev.feint.autograd.Activations;
import dev.feint.autograd.BinaryMath;
import dev.feint.autograd.Elementwise;
import dev.feint.autograd.Indexing;
import dev.feint.autograd.Reductions;
import dev.feint.autograd.Unary;
import dev.feint.nn.Graph;
import dev.feint.nn.GraphOps;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;

import static dev.feint.onnx.NnConverters.one;

/** Pointwise arithmetic, activations, comparisons, Where, variadic Max/Min/Sum/Mean and reductions. */
final class MathConverters {
    private MathConverters() {}

    static void register(Map<String, Converter> m) {
        m.put("Add", n -> new GraphOps.Add());
        m.put("Sub", binary(Elementwise::sub));
        m.put("Mul", binary(Elementwise::mul));
        m.put("Div", n -> DataType.isInteger(n.type(0))
                ? (in, tr) -> one(truncate(Elementwise.div(in[0], in[1]))) : (in, tr) -> one(Elementwise.div(in[0], in[1])));
        m.put("Pow", binary(BinaryMath::pow));
        m.put("PRelu", binary(BinaryMath::prelu));
        m.put("Sqrt", unary(Unary::sqrt));
        m.put("Neg", unary(Elementwise::neg));
        m.put("Abs", unary(Unary::abs));
        m.put("Exp", unary(Unary::exp));
        m.put("Log", unary(Unary::log));
        m.put("Reciprocal", unary(Activations::reciprocal));
        m.put("Relu", n -> new GraphOps.Relu());
        m.put("Sigmoid", unary(Unary::sigmoid));
        m.put("Tanh", unary(Unary::tanh));
        m.put("Softplus", unary(Activations::softplus));
        m.put("Erf", unary(Activations::erf));
        m.put("HardSwish", unary(Activations::hardSwish));
        m.put("LeakyRelu", n -> { float a = n.f("alpha", 0.01f); return (in, tr) -> one(Unary.leakyRelu(in[0], a)); });
        m.put("Elu", n -> { float a = n.f("alpha", 1f); return (in, tr) -> one(Activations.elu(in[0], a)); });
        m.put("Selu", n -> {
            float a = n.f("alpha", 1.67326319217681884765625f), g = n.f("gamma", 1.05070102214813232421875f);
            return (in, tr) -> one(Activations.selu(in[0], a, g));
        });
        m.put("HardSigmoid", n -> {
            float a = n.f("alpha", 0.2f), b = n.f("beta", 0.5f);
            return (in, tr) -> one(Activations.hardSigmoid(in[0], a, b));
        });
        m.put("Gelu", n -> {
            String ap = n.s("approximate", "none");
            if (!ap.equals("none") && !ap.equals("tanh")) throw n.fail("approximate '" + ap + "' (expected none or tanh)");
            return (in, tr) -> one(Activations.gelu(in[0], ap.equals("tanh")));
        });
        m.put("Clip", MathConverters::clip);
        m.put("Max", variadic(BinaryMath::max));
        m.put("Min", variadic(BinaryMath::min));
        m.put("Sum", variadic(Elementwise::add));
        m.put("Mean", n -> (in, tr) -> {
            Tensor s = in[0];
            for (int i = 1; i < in.length; i++) s = s.add(in[i]);
            return one(Elementwise.scale(s, 1f / in.length));
        });
        m.put("Equal", compare(BinaryMath.Comparison.EQUAL));
        m.put("Greater", compare(BinaryMath.Comparison.GREATER));
        m.put("Less", compare(BinaryMath.Comparison.LESS));
        m.put("GreaterOrEqual", compare(BinaryMath.Comparison.GREATER_OR_EQUAL));
        m.put("LessOrEqual", compare(BinaryMath.Comparison.LESS_OR_EQUAL));
        m.put("Not", n -> (in, tr) -> one(BinaryMath.compare(BinaryMath.Comparison.EQUAL, in[0], Tensor.scalar(0f))));
        m.put("Where", n -> (in, tr) -> {
            Shape s = Shape.of(Indexing.expand(Indexing.expand(in[0], in[1].shape()), in[2].shape()).dims());
            return one(Elementwise.where(Indexing.expand(in[0], s), Indexing.expand(in[1], s), Indexing.expand(in[2], s)));
        });
        m.put("ReduceMean", n -> reduce(n, 18, (x, a) -> Reductions.mean(x, a, true)));
        m.put("ReduceSum", n -> reduce(n, 13, (x, a) -> Reductions.sum(x, a, true)));
        m.put("ReduceMax", n -> reduce(n, 18, (x, a) -> Reductions.max(x, a, true)));
    }

    private static Converter unary(UnaryOperator<Tensor> f) { return n -> (in, tr) -> one(f.apply(in[0])); }

    private static Converter binary(BinaryOperator<Tensor> f) { return n -> (in, tr) -> one(f.apply(in[0], in[1])); }

    private static Converter variadic(BinaryOperator<Tensor> f) {
        return n -> (in, tr) -> {
            Tensor s = in[0];
            for (int i = 1; i < in.length; i++) s = f.apply(s, in[i]);
            return one(s);
        };
    }

    private static Converter compare(BinaryMath.Comparison c) { return n -> (in, tr) -> one(BinaryMath.compare(c, in[0], in[1])); }

    /** Integer division truncates toward zero; the op is then a constant (integers carry no gradient). */
    private static Tensor truncate(Tensor t) {
        float[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) d[i] = (float) (d[i] < 0 ? Math.ceil(d[i]) : Math.floor(d[i]));
        return new Tensor(t.shape(), d);
    }

    /** Bounds from attributes before opset 11, from optional inputs from 11 on. */
    private static Graph.Op clip(OnnxNode n) {
        if (n.opset < 11) {
            float lo = n.f("min", Float.NEGATIVE_INFINITY), hi = n.f("max", Float.POSITIVE_INFINITY);
            return lo <= hi ? new GraphOps.Clip(lo, hi) : new GraphOps.Clip(hi, hi);   // ONNX: every value becomes max
        }
        Tensor min = n.known(1), max = n.known(2);
        if ((!n.hasInput(1) || min != null && min.size() == 1) && (!n.hasInput(2) || max != null && max.size() == 1)) {
            float lo = min == null ? Float.NEGATIVE_INFINITY : min.data()[0], hi = max == null ? Float.POSITIVE_INFINITY : max.data()[0];
            if (lo <= hi) return new GraphOps.Clip(lo, hi);                   // known bounds: fusable into a preceding Conv
        }
        return (in, tr) -> {
            float lo = in.length > 1 && in[1] != null ? in[1].data()[0] : Float.NEGATIVE_INFINITY;
            float hi = in.length > 2 && in[2] != null ? in[2].data()[0] : Float.POSITIVE_INFINITY;
            if (lo > hi) {                                             // ONNX: every value becomes max
                Tensor z = Unary.clamp(in[0], hi, hi);
                return one(z);
            }
            return one(Unary.clamp(in[0], lo, hi));
        };
    }

    /** Reduce over axes (an attribute before {@code inputFrom}, else the optional second input); keepdims. */
    private static Graph.Op reduce(OnnxNode n, int inputFrom, BinaryOperator2 f) {
        boolean keep = n.i("keepdims", 1) != 0, noopEmpty = n.i("noop_with_empty_axes", 0) != 0;
        int[] attrAxes = n.opset < inputFrom ? n.intArray("axes", null) : null;
        return (in, tr) -> {
            Tensor x = in[0];
            int[] axes = attrAxes;
            if (n.opset >= inputFrom && in.length > 1 && in[1] != null) axes = Values.ints(in[1]);
            if (axes == null || axes.length == 0) {
                if (noopEmpty) return one(x);
                axes = new int[x.rank()];
                for (int i = 0; i < axes.length; i++) axes[i] = i;
            }
            int[] sorted = Values.sortedAxes(axes, x.rank(), n);
            Tensor y = x;
            for (int a : sorted) y = f.apply(y, a);
            if (!keep) {
                int[] d = new int[x.rank() - sorted.length];
                for (int i = 0, j = 0; i < x.rank(); i++) if (java.util.Arrays.binarySearch(sorted, i) < 0) d[j++] = x.dim(i);
                y = y.reshape(d);
            }
            return one(y);
        };
    }

    @FunctionalInterface
    private interface BinaryOperator2 { Tensor apply(Tensor x, int axis); }
}
