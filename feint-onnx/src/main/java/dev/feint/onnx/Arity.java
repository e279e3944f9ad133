package dev.feint.onnx;

import java.util.Map;

/**
 * The fewest inputs each supported op needs (ONNX's required inputs), checked before its
 * converter runs: converters index their inputs, so a node with too few (a fuzzed Flatten with
 * none) must be a clear error, not an array index out of bounds. Optional inputs are the
 * converters' own business ({@link OnnxNode#hasInput}).
 */
final class Arity {
    private static final Map<String, Integer> TWO = Map.ofEntries(
            Map.entry("Add", 2), Map.entry("Sub", 2), Map.entry("Mul", 2), Map.entry("Div", 2), Map.entry("Pow", 2),
            Map.entry("MatMul", 2), Map.entry("Gemm", 2), Map.entry("Conv", 2), Map.entry("PRelu", 2), Map.entry("Equal", 2),
            Map.entry("Greater", 2), Map.entry("Less", 2), Map.entry("Reshape", 2), Map.entry("Expand", 2), Map.entry("Gather", 2),
            Map.entry("Where", 3), Map.entry("BatchNormalization", 5), Map.entry("InstanceNormalization", 3),
            Map.entry("LayerNormalization", 2));

    private Arity() {}

    /** Required inputs of {@code op} at {@code opset}: 0 for Constant, the table's figure, else 1. */
    static int required(String op, long opset) {
        if (op.equals("Constant")) return 0;
        if (op.equals("Slice") && opset >= 10) return 3;                  // starts and ends became inputs
        if ((op.equals("Pad") || op.equals("Unsqueeze")) && opset >= (op.equals("Pad") ? 11 : 13)) return 2;
        return TWO.getOrDefault(op, 1);
    }
}
