/**
 * DJL models as Feint models: any DJL engine as a black-box model, and TorchScript files through
 * DJL's PyTorch engine as differentiable models with input gradients from libtorch.
 *
 * <p>Provides the {@code torchscript} {@link dev.feint.model.ModelFormat}, so
 * {@code dev.feint.model.Models.load} reads TorchScript files whenever this module is present.
 */
module dev.feint.djl {
    requires transitive dev.feint.attacks;
    requires ai.djl.api;
    requires ai.djl.pytorch_engine;

    exports dev.feint.djl;

    provides dev.feint.model.ModelFormat with dev.feint.djl.TorchScriptFormat;
}
