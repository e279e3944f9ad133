/**
 * Feint's engine: float32 tensors, reverse-mode autodiff, layers and networks, losses,
 * optimizers, datasets and the file formats (safetensors, NPY, JSON, images).
 *
 * <p>Exported: the API packages. {@code dev.feint.tensor.kernels} (the SIMD kernels behind the
 * tensor ops) is exported only to the benchmarks that time it.
 */
module dev.feint.core {
    requires java.desktop;
    requires jdk.incubator.vector;

    exports dev.feint;
    exports dev.feint.autograd;
    exports dev.feint.data;
    exports dev.feint.io;
    exports dev.feint.loss;
    exports dev.feint.nn;
    exports dev.feint.optim;
    exports dev.feint.tensor;
    exports dev.feint.tensor.kernels to dev.feint.bench;
}
