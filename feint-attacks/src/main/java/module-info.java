/**
 * Attacks, adversarial training and robustness evaluation: the model view attacks see
 * ({@code dev.feint.model.Models}), every attack ({@code dev.feint.attack.Attacks}), training
 * recipes, {@code dev.feint.eval.Evaluation} with its audit, and the HTML report.
 *
 * <p>Model formats beyond Feint's safetensors come from {@link dev.feint.model.ModelFormat}
 * services (feint-onnx provides {@code .onnx}).
 */
module dev.feint.attacks {
    requires transitive dev.feint.core;

    exports dev.feint.attack;
    exports dev.feint.attack.blackbox;
    exports dev.feint.attack.gradient;
    exports dev.feint.eval;
    exports dev.feint.eval.audit;
    exports dev.feint.model;
    exports dev.feint.report.internal to dev.feint.cli;
    exports dev.feint.train;

    uses dev.feint.model.ModelFormat;
}
