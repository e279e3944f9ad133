package dev.feint.onnx;

import dev.feint.autograd.Indexing;
import dev.feint.autograd.Shapes;
import dev.feint.nn.Graph;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.util.Map;

import static dev.feint.onnx.NnConverters.one;

/**
 * Shapes and indexing: Shape, Reshape, Flatten's relatives (Squeeze, Unsqueeze), Concat, Split,
 * Slice, Gather, Transpose, Expand, Pad, Cast, Constant, ConstantOfShape. Exporters' shape
 * subgraphs run on these over small integer tensors, so a dynamic batch axis just works.
 */
final class ShapeConverters {
    private ShapeConverters() {}

    static void register(Map<String, Converter> m) {
        m.put("Shape", n -> {
            int start = (int) n.i("start", 0), end = (int) n.i("end", Integer.MAX_VALUE);
            return (in, tr) -> {
                int r = in[0].rank();
                int s = clampAxis(start, r), e = clampAxis(end, r);
                return one(Values.ofInts(java.util.Arrays.copyOfRange(in[0].dims(), s, Math.max(s, e))));
            };
        });
        m.put("Size", n -> (in, tr) -> one(Tensor.scalar(in[0].size())));
        m.put("Reshape", n -> {
            boolean allowZero = n.i("allowzero", 0) != 0;
            return (in, tr) -> one(reshape(in[0], Values.ints(in[1]), allowZero, n));
        });
        m.put("Unsqueeze", n -> {
            int[] attr = n.opset < 13 ? n.intArray("axes", null) : null;
            return (in, tr) -> {
                int[] axes = attr != null ? attr : Values.ints(in[1]);
                int r = in[0].rank() + axes.length;
                int[] sorted = Values.sortedAxes(axes, r, n), d = new int[r];
                for (int i = 0, j = 0, k = 0; i < r; i++) d[i] = k < sorted.length && sorted[k] == i ? dimOne(k++) : in[0].dim(j++);
                return one(in[0].reshape(d));
            };
        });
        m.put("Squeeze", n -> {
            int[] attr = n.opset < 13 ? n.intArray("axes", null) : null;
            return (in, tr) -> {
                Tensor x = in[0];
                int[] axes = attr != null ? attr : (in.length > 1 && in[1] != null ? Values.ints(in[1]) : null);
                java.util.List<Integer> d = new java.util.ArrayList<>();
                int[] sorted = axes == null ? null : Values.sortedAxes(axes, x.rank(), n);
                for (int i = 0; i < x.rank(); i++) {
                    boolean drop = sorted == null ? x.dim(i) == 1 : java.util.Arrays.binarySearch(sorted, i) >= 0;
                    if (drop && x.dim(i) != 1) throw n.fail("cannot squeeze axis " + i + " of " + x.shape());
                    if (!drop) d.add(x.dim(i));
                }
                return one(x.reshape(d.stream().mapToInt(Integer::intValue).toArray()));
            };
        });
        m.put("Concat", n -> {
            if (!n.has("axis")) throw n.fail("attribute axis is required");
            int axis = (int) n.i("axis", 0);
            return (in, tr) -> {
                java.util.List<Tensor> parts = new java.util.ArrayList<>();
                for (Tensor t : in) if (t != null) parts.add(t);
                return one(Shapes.concat(Values.axis(axis, parts.get(0).rank(), n), parts.toArray(new Tensor[0])));
            };
        });
        m.put("Split", ShapeConverters::split);
        m.put("Slice", ShapeConverters::slice);
        m.put("Gather", n -> {
            int axis = (int) n.i("axis", 0);
            return (in, tr) -> one(Indexing.gather(in[0], Values.axis(axis, in[0].rank(), n), Values.ints(in[1]), in[1].dims()));
        });
        m.put("Transpose", n -> {
            int[] perm = n.intArray("perm", null);
            return (in, tr) -> {
                int r = in[0].rank();
                int[] p = perm;
                if (p == null) {
                    p = new int[r];
                    for (int i = 0; i < r; i++) p[i] = r - 1 - i;
                }
                return one(Shapes.permute(in[0], p));
            };
        });
        m.put("Expand", n -> (in, tr) -> one(Indexing.expand(in[0], Shape.of(checkedDims(Values.ints(in[1]), n)))));
        m.put("Pad", ShapeConverters::pad);
        m.put("Cast", n -> {
            int to = (int) n.i("to", DataType.FLOAT);
            if (to == DataType.STRING) throw n.fail("Cast to string is not supported");
            if (to == DataType.FLOAT || to == DataType.DOUBLE) return (in, tr) -> one(in[0]);
            if (to == DataType.FLOAT16 || to == DataType.BFLOAT16) return (in, tr) -> one(DataType.roundToHalf(to, in[0]));
            return (in, tr) -> {
                float[] d = in[0].data().clone();
                for (int i = 0; i < d.length; i++)
                    d[i] = to == DataType.BOOL ? (d[i] != 0 ? 1f : 0f) : (float) (d[i] < 0 ? Math.ceil(d[i]) : Math.floor(d[i]));
                return one(new Tensor(in[0].shape(), d));
            };
        });
        m.put("Constant", n -> {
            Tensor v = constantValue(n);
            return (in, tr) -> one(v);
        });
        m.put("ConstantOfShape", n -> {
            OnnxProto.Attribute a = n.attr("value");
            float v = a != null && a.t() != null && a.t().data().length > 0 ? a.t().data()[0] : 0f;
            return (in, tr) -> {
                Shape s = Shape.of(checkedDims(Values.ints(in[0]), n));
                float[] d = new float[s.size()];
                java.util.Arrays.fill(d, v);
                return one(new Tensor(s, d));
            };
        });
    }

    private static int dimOne(int ignored) { return 1; }

    private static int clampAxis(int a, int r) { return Math.max(0, Math.min(r, a < 0 ? a + r : a)); }

    private static int[] checkedDims(int[] d, OnnxNode n) {
        long size = 1;
        for (int x : d) {
            if (x < 0) throw n.fail("negative dimension in " + java.util.Arrays.toString(d));
            size *= x;
            if (size > TensorData.MAX_ELEMENTS) throw n.fail("shape " + java.util.Arrays.toString(d) + " has more than " + TensorData.MAX_ELEMENTS + " elements");
        }
        return d;
    }

    static Tensor reshape(Tensor x, int[] shape, boolean allowZero, OnnxNode n) {
        int[] d = shape.clone();
        for (int i = 0; i < d.length; i++) {
            if (d[i] == 0 && !allowZero) {
                if (i >= x.rank()) throw n.fail("shape " + java.util.Arrays.toString(shape) + " copies axis " + i + " of " + x.shape());
                d[i] = x.dim(i);
            } else if (d[i] < -1) throw n.fail("shape value " + d[i] + " (expected >= -1)");
        }
        return Shapes.reshape(x, d);
    }

    private static Tensor constantValue(OnnxNode n) {
        OnnxProto.Attribute a;
        if ((a = n.attr("value")) != null && a.t() != null) return a.t().toTensor();
        if ((a = n.attr("value_float")) != null) return Tensor.scalar(a.f());
        if ((a = n.attr("value_int")) != null) return Tensor.scalar(DataType.clampLong(a.i()));
        if ((a = n.attr("value_floats")) != null) return Tensor.of(a.floats().clone(), a.floats().length);
        if ((a = n.attr("value_ints")) != null) return Tensor.of(DataType.fromLongs(a.ints()), a.ints().length);
        throw n.fail("no value, value_float(s) or value_int(s) attribute (sparse and string constants are not supported)");
    }

    private static Graph.Op split(OnnxNode n) {
        int axis = (int) n.i("axis", 0);
        int[] attrSplit = n.opset < 13 ? n.intArray("split", null) : null;
        int outs = n.node.outputs().size();
        return (in, tr) -> {
            Tensor x = in[0];
            int a = Values.axis(axis, x.rank(), n), len = x.dim(a);
            int[] sizes = attrSplit != null ? attrSplit : (in.length > 1 && in[1] != null ? Values.ints(in[1]) : null);
            if (sizes == null) {
                int chunk = (len + outs - 1) / outs;                       // the last part may be smaller (opset 18)
                sizes = new int[outs];
                for (int i = 0; i < outs; i++) sizes[i] = Math.max(0, Math.min(chunk, len - i * chunk));
            }
            if (sizes.length != outs) throw n.fail("split has " + sizes.length + " sizes for " + outs + " outputs");
            Tensor[] r = new Tensor[outs];
            int at = 0;
            for (int i = 0; i < outs; i++) {
                if (sizes[i] < 0 || at + sizes[i] > len) throw n.fail("split sizes " + java.util.Arrays.toString(sizes) + " exceed axis length " + len);
                r[i] = Shapes.slice(x, a, at, at + sizes[i]);
                at += sizes[i];
            }
            return r;
        };
    }

    private static Graph.Op slice(OnnxNode n) {
        int[] as = n.opset < 10 ? n.intArray("starts", null) : null, ae = n.opset < 10 ? n.intArray("ends", null) : null;
        int[] aa = n.opset < 10 ? n.intArray("axes", null) : null;
        return (in, tr) -> {
            Tensor x = in[0];
            int[] starts = as != null ? as : Values.ints(in[1]), ends = ae != null ? ae : Values.ints(in[2]);
            int[] axes = n.opset < 10 ? aa : (in.length > 3 && in[3] != null ? Values.ints(in[3]) : null);
            int[] steps = n.opset >= 10 && in.length > 4 && in[4] != null ? Values.ints(in[4]) : null;
            int r = x.rank();
            int[] s = new int[r], e = x.dims(), st = new int[r];
            java.util.Arrays.fill(st, 1);
            if (starts.length != ends.length) throw n.fail("starts and ends differ in length");
            for (int i = 0; i < starts.length; i++) {
                int ax = Values.axis(axes == null ? i : axes[i], r, n), dim = x.dim(ax);
                int step = steps == null ? 1 : steps[i];
                if (step == 0) throw n.fail("step 0");
                long b = starts[i] < 0 ? (long) starts[i] + dim : starts[i], f = ends[i] < 0 ? (long) ends[i] + dim : ends[i];
                if (step > 0) { b = Math.max(0, Math.min(dim, b)); f = Math.max(0, Math.min(dim, f)); }
                else { b = Math.max(-1, Math.min(dim - 1, b)); f = Math.max(-1, Math.min(dim - 1, f)); }
                s[ax] = (int) b;
                e[ax] = (int) f;
                st[ax] = step;
            }
            return one(Indexing.slice(x, s, e, st));
        };
    }

    private static Graph.Op pad(OnnxNode n) {
        String mode = n.s("mode", "constant");
        Indexing.PadMode pm = switch (mode) {
            case "constant" -> Indexing.PadMode.CONSTANT;
            case "reflect" -> Indexing.PadMode.REFLECT;
            case "edge" -> Indexing.PadMode.EDGE;
            default -> throw n.fail("mode '" + mode + "' is not supported (constant, reflect, edge)");
        };
        int[] attrPads = n.opset < 11 ? n.intArray("pads", null) : null;
        float attrValue = n.f("value", 0f);
        return (in, tr) -> {
            Tensor x = in[0];
            int r = x.rank();
            int[] pads = attrPads != null ? attrPads : Values.ints(in[1]);
            float value = n.opset < 11 ? attrValue : (in.length > 2 && in[2] != null && in[2].size() > 0 ? in[2].data()[0] : 0f);
            int[] axes = n.opset >= 18 && in.length > 3 && in[3] != null ? Values.ints(in[3]) : null;
            int k = axes == null ? r : axes.length;
            if (pads.length != 2 * k) throw n.fail("pads has " + pads.length + " values, expected " + 2 * k);
            int[] before = new int[r], after = new int[r];
            for (int i = 0; i < k; i++) {
                int ax = axes == null ? i : Values.axis(axes[i], r, n);
                before[ax] = pads[i];
                after[ax] = pads[i + k];
            }
            return one(Indexing.pad(x, before, after, pm, value));
        };
    }
}
