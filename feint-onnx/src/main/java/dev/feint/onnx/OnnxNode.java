package dev.feint.onnx;

import dev.feint.FeintException;
import dev.feint.tensor.Tensor;

import java.util.List;

/**
 * One ONNX node as a converter sees it: attributes with defaults, the opset, the element types
 * of its inputs and the values of those known at load time (initializers, folded constants).
 */
final class OnnxNode {
    final OnnxProto.Node node;
    final long opset;
    private final int[] inputTypes;
    private final Tensor[] known;

    OnnxNode(OnnxProto.Node node, long opset, int[] inputTypes, Tensor[] known) {
        this.node = node;
        this.opset = opset;
        this.inputTypes = inputTypes;
        this.known = known;
    }

    String op() { return node.opType(); }

    int inputCount() { return node.inputs().size(); }

    boolean hasInput(int k) { return k < node.inputs().size() && !node.inputs().get(k).isEmpty(); }

    /** The element type of input k (0 if unknown). */
    int type(int k) { return k < inputTypes.length ? inputTypes[k] : 0; }

    /** Input k's value if known at load, else null. */
    Tensor known(int k) { return k < known.length ? known[k] : null; }

    /** Input k's value, which this op needs at load time. */
    Tensor required(int k, String what) {
        Tensor t = known(k);
        if (t == null) throw fail(what + " (input " + k + ") must be a constant or initializer");
        return t;
    }

    boolean has(String attr) { return node.attributes().containsKey(attr); }

    long i(String name, long def) {
        OnnxProto.Attribute a = node.attributes().get(name);
        return a == null ? def : a.i();
    }

    float f(String name, float def) {
        OnnxProto.Attribute a = node.attributes().get(name);
        return a == null ? def : a.f();
    }

    String s(String name, String def) {
        OnnxProto.Attribute a = node.attributes().get(name);
        return a == null || a.s() == null ? def : a.s();
    }

    long[] ints(String name, long[] def) {
        OnnxProto.Attribute a = node.attributes().get(name);
        return a == null ? def : a.ints();
    }

    float[] floats(String name, float[] def) {
        OnnxProto.Attribute a = node.attributes().get(name);
        return a == null ? def : a.floats();
    }

    OnnxProto.Attribute attr(String name) { return node.attributes().get(name); }

    /** An int attribute list as int[] (each must fit). */
    int[] intArray(String name, int[] def) {
        long[] v = ints(name, null);
        if (v == null) return def;
        return toInts(v, name);
    }

    int[] toInts(long[] v, String what) {
        int[] o = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] > Integer.MAX_VALUE || v[i] < Integer.MIN_VALUE) throw fail(what + " value " + v[i] + " out of range");
            o[i] = (int) v[i];
        }
        return o;
    }

    FeintException fail(String msg) {
        return new FeintException(op() + " node '" + node.name() + "' (opset " + opset + "): " + msg);
    }

    List<String> inputs() { return node.inputs(); }
}
