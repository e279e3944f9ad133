package dev.feint.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;

/**
 * The model file of the commands that read any format Feint loads (a picocli mixin): attack, eval
 * and info. Audit and export take fewer formats and say so in their own --model.
 */
final class ModelOption {
    @Option(names = "--model", required = true, paramLabel = "<model>", description = "Weights file (.safetensors), ONNX model (.onnx) or TorchScript model (.pt, through DJL).")
    Path path;
}
