package dev.feint.onnx;

/** The element type of a node's outputs, from its op and inputs (what integer-only semantics need). */
final class OutputTypes {
    private OutputTypes() {}

    static int of(OnnxNode n) {
        return switch (n.op()) {
            case "Shape", "Size" -> DataType.INT64;
            case "Cast" -> (int) n.i("to", DataType.FLOAT);
            case "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "Not" -> DataType.BOOL;
            case "Constant" -> {
                OnnxProto.Attribute a = n.attr("value");
                if (a != null && a.t() != null) yield a.t().dataType();
                yield n.attr("value_int") != null || n.attr("value_ints") != null ? DataType.INT64 : DataType.FLOAT;
            }
            case "ConstantOfShape" -> {
                OnnxProto.Attribute a = n.attr("value");
                yield a != null && a.t() != null ? a.t().dataType() : DataType.FLOAT;
            }
            case "Where" -> n.type(1);
            default -> n.type(0);
        };
    }
}
