package dev.feint.onnx;

import java.util.Arrays;
import java.util.Map;

/** A human-readable description of an imported ONNX model: what {@code feint info} prints. */
public final class OnnxSummary {
    private OnnxSummary() {}

    /**
     * Describes an imported model: IR version, producer, opsets, input and output, parameters and ops.
     *
     * @param file the file name to print
     * @param imp the imported model
     * @return the text {@code feint info} prints, one fact a line
     */
    public static String of(String file, OnnxImport.Imported imp) {
        StringBuilder sb = new StringBuilder();
        OnnxProto.Model m = imp.model();
        sb.append(String.format("model:        %s (ONNX, IR version %d, producer %s)%n", file, m.irVersion(), m.producer().isEmpty() ? "unknown" : m.producer()));
        sb.append(String.format("opset:        %d%s%n", m.opset(), m.opsets().size() > 1 ? " " + m.opsets() : ""));
        for (OnnxProto.ValueInfo v : m.graph().inputs())
            if (imp.graph().inputNames().contains(v.name())) sb.append(String.format("input:        %s %s %s%n", v.name(), DataType.name(v.elemType()), dims(v.dims())));
        for (OnnxProto.ValueInfo v : m.graph().outputs())
            sb.append(String.format("output:       %s %s %s%n", v.name(), DataType.name(v.elemType()), dims(v.dims())));
        sb.append(String.format("parameters:   %,d in %d tensors (%d buffers)%n", imp.graph().parameterCount(),
                imp.graph().namedParameters().size(), imp.graph().namedBuffers().size()));
        sb.append(String.format("nodes:        %d in the file, %d after folding constants and fusing%n", m.graph().nodes().size(), imp.graph().nodes().size()));
        sb.append("ops:\n");
        for (Map.Entry<String, Integer> e : imp.opHistogram().entrySet()) sb.append(String.format("  %-20s %d%n", e.getKey(), e.getValue()));
        var fused = imp.fusedNodes();
        sb.append(String.format("fused kernels: %d%n", fused.size()));
        for (String f : fused) sb.append("  ").append(f).append('\n');
        return sb.toString();
    }

    private static String dims(long[] d) {
        if (d == null) return "[?]";
        String[] s = new String[d.length];
        for (int i = 0; i < d.length; i++) s[i] = d[i] < 0 ? "?" : Long.toString(d[i]);
        return Arrays.toString(s);
    }
}
