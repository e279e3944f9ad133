package dev.feint.bench;

import dev.feint.nn.Network;
import dev.feint.onnx.OnnxExport;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import ai.onnxruntime.OnnxTensor;
import java.nio.file.*;
import java.util.*;

/** Throwaway: CPU the process burns in the N ms after the last call of a burst, per engine (2 threads, batch 1). */
public class Spin {
    static long procCpuNanos() throws Exception {
        String[] f = Files.readString(Path.of("/proc/self/stat")).split("\\) ")[1].split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10_000_000L;   // utime + stime, 100 Hz ticks
    }
    public static void main(String[] a) throws Exception {
        int th = 2, b = Integer.parseInt(a[0]);
        Parallel.setThreads(th);
        Network net = SideBySide.network(); net.eval();
        Path onnx = Files.createTempFile("diag", ".onnx"); OnnxExport.write(net, onnx);
        OrtPeer ort = new OrtPeer(onnx, th);
        float[] x = SideBySide.images(b, 7);
        try (var fz = FrozenWeights.open(); OnnxTensor xt = ort.input(x, b, 1, 28, 28)) {
            SideBySide.Body[] bodies = {() -> SideBySide.feintLogits(net, x, b), () -> ort.run(xt)};
            for (int i = 0; i < 3000; i++) { bodies[0].run(); bodies[1].run(); }
            for (int j = 0; j < 2; j++)
                for (long gapMs : new long[] {1, 2, 5, 10, 20, 50}) {
                    long spent = 0; int reps = 20;
                    for (int rep = 0; rep < reps; rep++) {
                        for (int i = 0; i < 50; i++) bodies[j].run();
                        long c0 = procCpuNanos();
                        Thread.sleep(gapMs);
                        spent += procCpuNanos() - c0;
                    }
                    System.out.printf("%s: CPU of the process during a %d ms sleep after its calls: %.2f ms (of %d ms wall)%n", j == 0 ? "Feint" : "ORT", gapMs, spent / 1e6 / reps, gapMs);
                }
        }
    }
}
