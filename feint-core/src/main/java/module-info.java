/**
 * Feint's engine: float32 tensors, reverse-mode autodiff, layers and networks, losses,
 * optimizers, datasets and the file formats (safetensors, NPY, JSON, images).
 *
 * <p>Exported: the API packages. {@code dev.feint.tensor.kernels} (the SIMD kernels behind the
 * tensor ops) is exported only to the benchmarks that time it, {@code dev.feint.io.internal}
 * (atomic writes, bounded reads, output paths, I/O messages) only to the Feint modules above.
 */
module dev.feint.core {
    requires java.desktop;
    requires jdk.incubator.vector;

    exports dev.feint;
    exports dev.feint.autograd;
    exports dev.feint.data;
    exports dev.feint.io;
    exports dev.feint.io.internal to dev.feint.attacks, dev.feint.onnx, dev.feint.cli;
    exports dev.feint.loss;
    exports dev.feint.nn;
    exports dev.feint.optim;
    exports dev.feint.tensor;
    exports dev.feint.tensor.kernels to dev.feint.bench;
}
