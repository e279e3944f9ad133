/**
 * Feint's benchmarks: JMH micro-benchmarks of the kernels, quick reports, and the side-by-side
 * harness against ONNX Runtime and PyTorch (through DJL). A tool, run from its shaded jar; its
 * {@code feint bench} command is found by the CLI by name.
 */
module dev.feint.bench {
    requires dev.feint.onnx;
    requires ai.djl.api;
    requires ai.djl.pytorch_engine;
    requires com.microsoft.onnxruntime;
    requires info.picocli;
    requires java.management;
    requires jdk.incubator.vector;
    requires jmh.core;

    exports dev.feint.bench to dev.feint.cli;
    opens dev.feint.bench to info.picocli, jmh.core;
    opens dev.feint.bench.jmh_generated to jmh.core;
}
