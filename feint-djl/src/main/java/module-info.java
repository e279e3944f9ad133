/**
 * DJL models as Feint models: any DJL engine as a black-box model, and TorchScript files through
 * DJL's PyTorch engine as differentiable models with input gradients from libtorch.
 */
module dev.feint.djl {
    requires transitive dev.feint.onnx;
    requires ai.djl.api;
    requires ai.djl.pytorch_engine;

    exports dev.feint.djl;
}
