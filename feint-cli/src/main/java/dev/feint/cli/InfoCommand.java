package dev.feint.cli;

import dev.feint.model.Models;
import dev.feint.nn.NetworkFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code feint info}: architecture, parameter count and metadata of a weights file; other formats in their own words ({@link Models#describe}). */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a model's architecture, size and metadata (ONNX: inputs, outputs, opset, ops, fused kernels; TorchScript: parameters).")
final class InfoCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Mixin ModelOption file;

    @Override public Integer call() {
        Path model = file.path;
        OnnxOptions flags = new OnnxOptions();
        if (!flags.mapped(model, () -> Models.format(model)).equals("safetensors")) {
            System.out.print(flags.mapped(model, () -> Models.describe(model)));
            return 0;
        }
        NetworkFile.Loaded l = NetworkFile.load(model, GlobalOptions.allowNonfinite);
        var arch = l.network().architecture();
        System.out.printf("model:        %s%n", model);
        System.out.printf("architecture: %s, input %s, %d classes%n", arch.name(), java.util.Arrays.toString(arch.input()), arch.numClasses());
        System.out.printf("parameters:   %,d%n", l.network().body().parameterCount());
        System.out.println("layers:");
        int i = 0;
        for (var layer : arch.layers()) System.out.printf("  %d  %s%n", i++, layer.toMap());
        System.out.printf("classes:      %s%n", String.join(", ", l.classNames()));
        System.out.println("metadata:");
        for (Map.Entry<String, String> e : l.metadata().entrySet())
            if (!e.getKey().equals("architecture")) System.out.printf("  %-14s %s%n", e.getKey(), e.getValue());
        return 0;
    }
}
