package dev.feint.bench;

import dev.feint.nn.Network;
import dev.feint.onnx.OnnxExport;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Parallel;
import ai.onnxruntime.OnnxTensor;
import java.lang.management.*;
import java.nio.file.*;
import java.util.*;

/** Throwaway: per-call wall and thread CPU of Feint vs ORT, batch b, t threads, alone then loaded. */
public class Diag {
    static final ThreadMXBean TM = ManagementFactory.getThreadMXBean();
    public static void main(String[] a) throws Exception {
        int b = Integer.parseInt(a[0]), th = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]), iters = Integer.parseInt(a[3]);
        Parallel.setThreads(th);
        Network net = SideBySide.network(); net.eval();
        Path onnx = Files.createTempFile("diag", ".onnx"); OnnxExport.write(net, onnx);
        OrtPeer ort = new OrtPeer(onnx, th);
        float[] x = SideBySide.images(b, 7);
        try (var fz = FrozenWeights.open(); OnnxTensor xt = ort.input(x, b, 1, 28, 28)) {
            SideBySide.Body f = () -> SideBySide.feintLogits(net, x, b), o = () -> ort.run(xt);
            for (int i = 0; i < 3000 / b + 50; i++) { f.run(); o.run(); }
            Thread.sleep(500);
            for (int i = 0; i < 3000 / b + 50; i++) { f.run(); o.run(); }
            phase("alone", f, o, rounds, iters, b);
            try (BackgroundLoad load = BackgroundLoad.start(2)) {
                Thread.sleep(1000);
                phase("loaded", f, o, rounds, iters, b);
            }
        }
    }
    static void phase(String name, SideBySide.Body f, SideBySide.Body o, int rounds, int iters, int b) throws Exception {
        long[][] wall = new long[2][rounds * iters], cpu = new long[2][rounds * iters];
        double[][] rate = new double[2][rounds];
        long gcBefore = gcCount(), gcT = gcTime();
        for (int k = 0; k < rounds; k++)
            for (int jj = 0; jj < 2; jj++) {
                int j = (k % 2 == 0) ? jj : 1 - jj;   // alternate order
                SideBySide.Body body = j == 0 ? f : o;
                SideBySide.settle();
                long t0 = System.nanoTime();
                for (int i = 0; i < iters; i++) {
                    long w = System.nanoTime(), c = TM.getCurrentThreadCpuTime();
                    body.run();
                    cpu[j][k * iters + i] = TM.getCurrentThreadCpuTime() - c;
                    wall[j][k * iters + i] = System.nanoTime() - w;
                }
                rate[j][k] = (double) b * iters / ((System.nanoTime() - t0) * 1e-9);
            }
        System.out.printf("%s: gc during phase (incl settle) %d, %d ms%n", name, gcCount() - gcBefore, gcTime() - gcT);
        for (int j = 0; j < 2; j++) {
            long[] w = wall[j].clone(), c = cpu[j].clone();
            Arrays.sort(w); Arrays.sort(c);
            double sw = Arrays.stream(wall[j]).sum(), sc = Arrays.stream(cpu[j]).sum();
            double[] r = rate[j].clone(); Arrays.sort(r);
            System.out.printf("  %-5s wall us p10 %.0f p50 %.0f p90 %.0f p99 %.0f mean %.0f | cpu us p50 %.0f mean %.0f | cpu/wall %.2f | img/s rounds med %.0f min %.0f max %.0f%n",
                j == 0 ? "Feint" : "ORT", p(w, .1), p(w, .5), p(w, .9), p(w, .99), sw / w.length / 1e3, p(c, .5), sc / c.length / 1e3, sc / sw,
                r[r.length / 2], r[0], r[r.length - 1]);
        }
    }
    static double p(long[] s, double q) { return s[(int) Math.min(s.length - 1, q * s.length)] / 1e3; }
    static long gcCount() { long n = 0; for (var g : ManagementFactory.getGarbageCollectorMXBeans()) n += g.getCollectionCount(); return n; }
    static long gcTime() { long n = 0; for (var g : ManagementFactory.getGarbageCollectorMXBeans()) n += g.getCollectionTime(); return n; }
}
