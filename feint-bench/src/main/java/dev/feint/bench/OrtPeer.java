package dev.feint.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtException;
import dev.feint.onnx.OrtRunner;

import java.nio.file.Path;

/**
 * ONNX Runtime as the side-by-side peer: an {@link OrtRunner} (the one session wrapper Feint has,
 * shared with the black-box backend) with the tensor-in, logits-out calls the timing loops use.
 */
final class OrtPeer implements AutoCloseable {
    private final OrtRunner ort;

    public OrtPeer(Path onnx, int threads) { ort = OrtRunner.open(onnx, threads); }

    public static String version() { return OrtRunner.version(); }

    /** An input tensor [n, c, h, w] for {@link #forward}; the caller closes it. */
    public OnnxTensor input(float[] x, long... shape) throws OrtException { return ort.tensor(x, shape); }

    /** Logits, flattened [n * classes]. */
    public float[] forward(OnnxTensor x) throws OrtException { return ort.forward(x).data(); }

    /** One timed forward: runs the graph and closes the result without copying it out. */
    public void run(OnnxTensor x) throws OrtException { ort.time(x); }

    @Override public void close() { ort.close(); }
}
