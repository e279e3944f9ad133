/**
 * ONNX models as Feint models: import (a bounded protobuf walk into a Feint graph, so every
 * white-box attack runs on it), export, and the ONNX Runtime black-box backend.
 *
 * <p>Provides the {@code onnx} and {@code onnx-safetensors} (fine-tuned by Feint) {@link dev.feint.model.ModelFormat}s, so
 * {@code dev.feint.model.Models.load} reads ONNX files whenever this module is present.
 */
module dev.feint.onnx {
    requires transitive dev.feint.attacks;
    requires com.google.protobuf;
    // transitive: OrtRunner's public methods take and return ONNX Runtime tensors.
    requires transitive com.microsoft.onnxruntime;

    exports dev.feint.onnx;

    provides dev.feint.model.ModelFormat with dev.feint.onnx.OnnxFormat, dev.feint.onnx.OnnxWeightsFormat;
}
