package dev.feint.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.feint.FeintException;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;

/**
 * One ONNX Runtime session (CPU execution provider) on one ONNX file: intra-op threads as asked,
 * one inter-op thread, sequential execution, all graph optimisations. The one place Feint starts
 * ONNX Runtime: the black-box backend ({@link OrtModel}), the reference tests and {@code feint
 * bench}'s peer all go through it. The native library loads on first use, so a run that never asks
 * for ONNX Runtime never needs it. The file is read through the bounded reader and handed over as
 * bytes, so ONNX Runtime opens nothing else (external-data references fail to resolve).
 *
 * <pre>{@code
 * try (OrtRunner ort = OrtRunner.open(Path.of("model.onnx"), 2)) {
 *     OrtRunner.Output z = ort.run(x, 2, 3, 32, 32);   // z.data() is [2 * classes], z.dims() {2, classes}
 * }
 * }</pre>
 */
public final class OrtRunner implements AutoCloseable {
    /**
     * A float output.
     *
     * @param data the values, flat, row-major
     * @param dims the output's dims
     */
    public record Output(float[] data, long[] dims) {}

    private final OrtEnvironment env;
    private final OrtSession session;
    private final String file, input;
    private final TensorInfo inputInfo;
    private volatile boolean closed;

    private OrtRunner(OrtEnvironment env, OrtSession session, String file) throws OrtException {
        this.env = env;
        this.session = session;
        this.file = file;
        Map<String, NodeInfo> ins = session.getInputInfo();
        if (ins.size() != 1 || session.getNumOutputs() != 1)
            throw new FeintException(file + ": a classifier has one input and one output, ONNX Runtime sees inputs " + ins.keySet()
                    + " and outputs " + session.getOutputNames());
        var e = ins.entrySet().iterator().next();
        if (!(e.getValue().getInfo() instanceof TensorInfo t) || t.type != OnnxJavaType.FLOAT)
            throw new FeintException(file + ": input '" + e.getKey() + "' is " + e.getValue().getInfo() + " (expected a float32 tensor)");
        this.input = e.getKey();
        this.inputInfo = t;
    }

    /**
     * A session on {@code file} with {@code threads} intra-op threads.
     *
     * @param file the {@code .onnx} file
     * @param threads ONNX Runtime's intra-op threads
     * @return the open session; close it
     * @throws dev.feint.FeintException naming the file when ONNX Runtime cannot start or load it
     */
    public static OrtRunner open(Path file, int threads) {
        if (threads < 1) throw new FeintException("threads must be >= 1, got " + threads);
        byte[] bytes = dev.feint.io.internal.InputFiles.readBytes(file, OnnxImport.MAX_FILE_BYTES, "an ONNX model");
        OrtEnvironment env = environment();
        try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
            o.setIntraOpNumThreads(threads);
            o.setInterOpNumThreads(1);
            o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtSession s = env.createSession(bytes, o);
            try {
                return new OrtRunner(env, s, file.toString());
            } catch (RuntimeException | OrtException ex) {
                s.close();
                throw ex;
            }
        } catch (OrtException ex) {
            throw new FeintException(file + ": ONNX Runtime cannot load it (" + ex.getMessage() + ")", ex);
        }
    }

    /** {@return the ONNX Runtime version, e.g. 1.29.0} */
    public static String version() { return environment().getVersion(); }

    private static OrtEnvironment environment() {
        try {
            return OrtEnvironment.getEnvironment();
        } catch (LinkageError | IllegalStateException e) {
            throw new FeintException("ONNX Runtime cannot start on this machine (" + e.getMessage() + ")", e);
        }
    }

    /** {@return the graph input's name} */
    public String inputName() { return input; }

    /** {@return the input's declared dims, -1 where symbolic (a dynamic batch)} */
    public long[] inputDims() { return inputInfo.getShape(); }

    /**
     * Runs the model on one input.
     *
     * @param x the input, flat, in the input's layout
     * @param dims its dims
     * @return the first output, copied out
     * @throws dev.feint.FeintException when ONNX Runtime refuses the input or the output is not float
     */
    public Output run(float[] x, long... dims) {
        checkOpen();
        try (OnnxTensor t = tensor(x, dims)) {
            return forward(t);
        } catch (OrtException e) {
            throw new FeintException(file + ": ONNX Runtime failed on input " + java.util.Arrays.toString(dims) + " (" + e.getMessage() + ")", e);
        }
    }

    /**
     * An input tensor for {@link #forward} or {@link #time}; the caller closes it.
     *
     * @param x the input, flat
     * @param dims its dims
     * @return the ONNX Runtime tensor over a copy of {@code x}
     * @throws OrtException when ONNX Runtime cannot allocate it
     */
    public OnnxTensor tensor(float[] x, long... dims) throws OrtException {
        checkOpen();
        return OnnxTensor.createTensor(env, FloatBuffer.wrap(x), dims);
    }

    /**
     * The model's output on a prepared tensor.
     *
     * @param x an input from {@link #tensor}
     * @return the first output, copied out
     * @throws OrtException when the run fails
     */
    public Output forward(OnnxTensor x) throws OrtException {
        checkOpen();
        try (OrtSession.Result r = session.run(Map.of(input, x))) {
            OnnxValue v = r.get(0);
            if (!(v instanceof OnnxTensor t) || t.getInfo().type != OnnxJavaType.FLOAT)
                throw new FeintException(file + ": the output is " + v.getInfo() + " (expected a float32 tensor)");
            FloatBuffer b = t.getFloatBuffer();
            float[] out = new float[b.remaining()];
            b.get(out);
            return new Output(out, t.getInfo().getShape());
        }
    }

    /**
     * One timed forward for benchmarks: runs the graph and closes the result without copying it out.
     *
     * @param x an input from {@link #tensor}
     * @throws OrtException when the run fails
     */
    public void time(OnnxTensor x) throws OrtException {
        checkOpen();
        try (OrtSession.Result r = session.run(Map.of(input, x))) {
            if (r.size() != 1) throw new IllegalStateException("expected one output");
        }
    }

    /** ONNX Runtime's own message for a closed session names neither the file nor the cause. */
    private void checkOpen() {
        if (closed) throw new IllegalStateException(file + ": the ONNX Runtime session was closed (load the model again to query it)");
    }

    /** Frees the native session; a second close does nothing, and every later call is an {@link IllegalStateException}. */
    @Override public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            session.close();
        } catch (OrtException e) {
            throw new FeintException(file + ": closing the ONNX Runtime session failed (" + e.getMessage() + ")", e);
        }
    }
}
