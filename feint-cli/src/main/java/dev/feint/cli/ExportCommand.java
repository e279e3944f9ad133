package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.io.internal.AtomicFiles;
import dev.feint.nn.NetworkFile;
import dev.feint.onnx.OnnxExport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code feint export}: a Feint model as an ONNX file (ONNX Runtime and Feint load it back). */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Write a Feint model (.safetensors) as an ONNX file (opset 13, dynamic batch; normalisation as Sub and Mul).")
final class ExportCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;

    @Option(names = "--model", required = true, description = "Weights file (.safetensors).")
    Path model;

    @Option(names = "--onnx", required = true, description = "The ONNX file to write.")
    Path onnx;

    @Override public Integer call() {
        if (Files.isDirectory(onnx)) throw new FeintException("--onnx " + onnx + ": is a directory (expected a file path)");
        byte[] bytes = OnnxExport.toBytes(NetworkFile.load(model).network());
        AtomicFiles.writeBytes(onnx, bytes);
        System.out.printf("wrote %s (%,d bytes)%n", onnx, bytes.length);
        return 0;
    }
}
