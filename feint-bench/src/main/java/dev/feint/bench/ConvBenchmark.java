package dev.feint.bench;

import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.Conv2dKernels;
import dev.feint.tensor.kernels.ConvGeometry;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The madry-cnn conv2 layer on a batch of 128: x [128,32,14,14], w [64,32,5,5], padding 2.
 * Each op is about 2.57 GFLOP (forward, backwardInput and backwardWeight alike).
 * Run: {@code java -jar feint-bench/target/benchmarks.jar ConvBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class ConvBenchmark {
    /** The state JMH makes once per trial (the class is public for JMH's generated code). */
    public ConvBenchmark() {}

    static final ConvGeometry MADRY_CONV2 = new ConvGeometry(128, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 1, 1);

    /** Worker threads of the kernels ({@code Parallel.setThreads}), 1 and 2. */
    @Param({"1", "2"})
    public int threads;

    final ConvGeometry g = MADRY_CONV2;
    float[] x, w, bias, out, gradOut, gradX, gradW, gradBias;

    /** Random inputs, weights and output gradients of the geometry, and the thread count. */
    @Setup(Level.Trial)
    public void setup() {
        Random r = new Random(1);
        x = random(r, g.n() * g.c() * g.h() * g.w());
        w = random(r, g.o() * g.patch());
        bias = random(r, g.o());
        out = new float[g.n() * g.o() * g.outH() * g.outW()];
        gradOut = random(r, out.length);
        gradX = new float[x.length];
        gradW = new float[w.length];
        gradBias = new float[g.o()];
        Parallel.setThreads(threads);
    }

    static float[] random(Random r, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = r.nextFloat() - 0.5f;
        return v;
    }

    /** {@return the output of one forward convolution (returned so the JIT keeps the work)} */
    @Benchmark
    public float[] forward() {
        Conv2dKernels.forward(g, x, w, bias, out);
        return out;
    }

    /** {@return the input gradient of one backward pass over the input} */
    @Benchmark
    public float[] backwardInput() {
        Conv2dKernels.backwardInput(g, gradOut, w, gradX);     // accumulates; magnitude is irrelevant here
        return gradX;
    }

    /** {@return the weight gradient of one backward pass over the weights and bias} */
    @Benchmark
    public float[] backwardWeight() {
        Conv2dKernels.backwardWeight(g, x, gradOut, gradW, gradBias);
        return gradW;
    }
}
