package dev.feint.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;

import java.nio.file.Path;

/** {@code feint info --model file.pt}: what a TorchScript file holds, without running it (its input shape is not recorded). */
public final class TorchScriptSummary {
    private TorchScriptSummary() {}

    /**
     * Describes a TorchScript file for {@code feint info}.
     *
     * @param file the {@code .pt} file
     * @return the file, the libtorch that loads it, and its parameters with their shapes, one a line
     */
    public static String of(Path file) {
        try (ai.djl.Model m = TorchScriptModel.loadDjl(file)) {
            StringBuilder sb = new StringBuilder();
            sb.append(String.format("model:        %s%n", file));
            sb.append(String.format("format:       TorchScript, loaded by libtorch %s through DJL %s%n", Libtorch.engine().getVersion(), ai.djl.engine.Engine.getDjlVersion()));
            long total = 0;
            StringBuilder rows = new StringBuilder();
            for (Pair<String, Parameter> p : m.getBlock().getParameters()) {
                NDArray a = p.getValue().getArray();
                total += a.size();
                rows.append(String.format("  %-28s %s%n", p.getKey(), a.getShape()));
            }
            sb.append(String.format("parameters:   %,d%n", total));
            sb.append(rows);
            sb.append(String.format("input:        not recorded in TorchScript; give --model-input c,h,w to eval and attack%n"));
            return sb.toString();
        }
    }
}
