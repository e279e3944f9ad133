package dev.feint.onnx;

import dev.feint.nn.Graph;

/** Turns one ONNX node into a graph op (checking its attributes at load time). */
@FunctionalInterface
interface Converter {
    Graph.Op convert(OnnxNode n);
}
