package dev.feint.bench;

import dev.feint.onnx.OnnxExport;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * ONNX Runtime (CPU execution provider) running an ONNX file written by {@link OnnxExport}:
 * intra-op threads as asked, one inter-op thread, sequential execution, all graph optimisations.
 */
public final class OrtPeer implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;

    public OrtPeer(Path onnx, int threads) throws OrtException {
        env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = env.createSession(onnx.toString(), o);
        }
    }

    public static String version() {
        return OrtEnvironment.getEnvironment().getVersion();
    }

    /** An input tensor [n, c, h, w] for {@link #forward}; the caller closes it. */
    public OnnxTensor input(float[] x, long... shape) throws OrtException {
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(x), shape);
    }

    /** Logits, flattened [n * classes]. */
    public float[] forward(OnnxTensor x) throws OrtException {
        try (OrtSession.Result r = session.run(Map.of("input", x))) {
            float[][] z = (float[][]) r.get(0).getValue();
            float[] flat = new float[z.length * z[0].length];
            for (int i = 0; i < z.length; i++) System.arraycopy(z[i], 0, flat, i * z[0].length, z[0].length);
            return flat;
        }
    }

    /** One timed forward: runs the graph and closes the result without copying it out. */
    public void run(OnnxTensor x) throws OrtException {
        try (OrtSession.Result r = session.run(Map.of("input", x))) {
            if (r.size() != 1) throw new IllegalStateException("expected one output");
        }
    }

    @Override public void close() throws OrtException {
        session.close();
    }
}
