package dev.feint.bench;

import dev.feint.nn.Network;
import dev.feint.onnx.OnnxExport;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import ai.onnxruntime.OnnxTensor;
import java.nio.file.*;
import java.util.*;

/** Throwaway: per-call wall by position in a bench-like round (settle, then calls), Feint vs ORT. */
public class Diag3 {
    public static void main(String[] a) throws Exception {
        int b = Integer.parseInt(a[0]), th = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]), iters = Integer.parseInt(a[3]);
        Parallel.setThreads(th);
        Network net = SideBySide.network(); net.eval();
        Path onnx = Files.createTempFile("diag", ".onnx"); OnnxExport.write(net, onnx);
        OrtPeer ort = new OrtPeer(onnx, th);
        float[] x = SideBySide.images(b, 7);
        try (var fz = FrozenWeights.open(); OnnxTensor xt = ort.input(x, b, 1, 28, 28)) {
            SideBySide.Body[] bodies = {() -> SideBySide.feintLogits(net, x, b), () -> ort.run(xt)};
            for (int i = 0; i < 6000 / b + 50; i++) { bodies[0].run(); bodies[1].run(); }
            long[][][] w = new long[2][rounds][iters];
            for (int k = 0; k < rounds; k++)
                for (int s = 0; s < 2; s++) {
                    int j = k % 2 == 0 ? s : 1 - s;
                    SideBySide.settle();
                    for (int i = 0; i < iters; i++) { long t = System.nanoTime(); bodies[j].run(); w[j][k][i] = System.nanoTime() - t; }
                }
            for (int j = 0; j < 2; j++) {
                StringBuilder sb = new StringBuilder(j == 0 ? "Feint" : "ORT  ");
                int[] pos = {0, 1, 2, 3, 5, 10, 20, 50, iters - 1};
                for (int p : pos) { long[] c = new long[rounds]; for (int k = 0; k < rounds; k++) c[k] = w[j][k][p]; Arrays.sort(c); sb.append(String.format(" c%d=%.0f", p, c[rounds / 2] / 1e3)); }
                long[] all = Arrays.stream(w[j]).flatMapToLong(Arrays::stream).sorted().toArray();
                double tot = Arrays.stream(all).sum(), first5 = 0; for (int k = 0; k < rounds; k++) for (int i = 0; i < 5; i++) first5 += w[j][k][i];
                sb.append(String.format(" | p50 %.0f mean %.0f, first 5 calls %.1f%% of the time", all[all.length / 2] / 1e3, tot / all.length / 1e3, 100 * first5 / tot));
                System.out.println(sb);
            }
        }
    }
}
