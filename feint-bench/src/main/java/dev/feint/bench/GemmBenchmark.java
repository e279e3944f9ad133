package dev.feint.bench;

import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.Gemm;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * GEMM throughput. The secondary metric {@code flop} is counted per nanosecond, so its score is
 * GFLOP/s directly. Shapes: squares, and "64x800x196" = M x K x N of the madry-cnn conv2 forward
 * (64 filters, 32*5*5 patch, 14*14 pixels).
 * Run: {@code java -jar feint-bench/target/benchmarks.jar GemmBenchmark}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@State(Scope.Benchmark)
public class GemmBenchmark {
    /** The state JMH makes once per trial (the class is public for JMH's generated code). */
    public GemmBenchmark() {}

    /** m (square) or m x k x n of the product. */
    @Param({"128", "256", "512", "1024", "64x800x196"})
    public String shape;

    /** Worker threads of the kernels ({@code Parallel.setThreads}), 1 and 2. */
    @Param({"1", "2"})
    public int threads;

    int m, n, k;
    float[] a, b, c;

    /** Per-thread flop counter; reported by JMH as flop/ns = GFLOP/s. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Flops {
        /** Floating-point operations done in this iteration. */
        public long flop;

        /** A counter at zero (JMH makes one per thread). */
        public Flops() {}

        /** Sets the counter to zero before each iteration. */
        @Setup(Level.Iteration)
        public void reset() { flop = 0; }
    }

    /** Random operands of the shape, and the thread count. */
    @Setup(Level.Trial)
    public void setup() {
        String[] d = shape.split("x");
        m = Integer.parseInt(d[0]);
        k = d.length > 1 ? Integer.parseInt(d[1]) : m;
        n = d.length > 2 ? Integer.parseInt(d[2]) : m;
        Random r = new Random(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() - 0.5f;
        for (int i = 0; i < b.length; i++) b[i] = r.nextFloat() - 0.5f;
        Parallel.setThreads(threads);
    }

    /**
     * One product C = A B on the worker threads.
     *
     * @param f counts the product's floating-point operations
     * @return C (returned so the JIT keeps the work)
     */
    @Benchmark
    public float[] sgemm(Flops f) {
        Gemm.sgemmParallel(false, false, m, n, k, a, 0, k, b, 0, n, c, 0, n, false);
        f.flop += 2L * m * n * k;
        return c;
    }
}
