package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import java.util.*;

/** conv2 (5x5 32->64, 14x14 pad 2, batch 128) kernels alone at one thread: forward (+ its pieces), input gradient, weight gradient. java -cp classes:. dev.feint.tensor.kernels.Conv2Kern rounds [names...] */
public class Conv2Kern {
    static float[] rnd(int n, long s) { SplittableRandom r = new SplittableRandom(s); float[] v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() - 0.5); return v; }
    public static void main(String[] a) {
        int rounds = Integer.parseInt(a[0]), n = 128;
        Parallel.setThreads(Integer.parseInt(a[1]));
        ConvGeometry g = new ConvGeometry(n, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1);
        float[] x = rnd(n * 32 * 196, 4), w = rnd(64 * 32 * 25, 5), b = rnd(64, 6);
        float[] out = new float[n * 64 * 49]; int[] arg = new int[out.length];
        PreparedConv pf = PreparedConv.forward(g, w), pc = PreparedConv.inputGradient(g, w);
        ConvReluPool.forward(g, x, w, b, 2, out, arg, pf);
        float[] go = rnd(out.length, 7), gw = new float[w.length], gb = new float[64], gx = new float[x.length], gzl = new float[n * 64 * 196];
        ConvReluPool.outputGradChannelsLast(g, out, arg, go, gzl);
        // forward pieces, one image per call as the plan does
        WinogradTiles tiling = new WinogradTiles(g, 2, 1);
        float[] in = new float[tiling.inSize()], v = new float[36 * tiling.vStride()], sc = new float[36 * 16];
        ConvGeometry prod = new ConvGeometry(1, 32, 1, 49, 64, 1, 1, 1, 1, 0, 0, 1, 1);
        ChannelsLastConv.Plan[] ps = new ChannelsLastConv.Plan[36];
        for (int i = 0; i < 36; i++) ps[i] = new ChannelsLastConv.Plan(prod, rnd(64 * 32, i), null);
        float[] zz = new float[36 * ps[0].zSize()];
        LinkedHashMap<String, Runnable> parts = new LinkedHashMap<>();
        parts.put("fwd", () -> ConvReluPool.forward(g, x, w, b, 2, out, arg, pf));
        parts.put("fwd pad+transform", () -> { for (int i = 0; i < n; i++) { tiling.pad(x, false, i, 1, in); tiling.transform(in, 0, 49, sc, v, tiling.vStride()); } });
        parts.put("fwd products(49)", () -> { for (int i = 0; i < n; i++) for (int xi = 0; xi < 36; xi++) ChannelsLastConv.multiply(ps[xi], 49, v, xi * tiling.vStride(), zz, xi * ps[0].zSize()); });
        parts.put("input", () -> ChannelsLastInputGradient.backwardInput(g, gzl, w, gx, false, pc));
        parts.put("weight", () -> Conv2dKernels.backwardWeightChannelsLast(g, x, gzl, gw, gb));
        parts.put("expand CL", () -> ConvReluPool.outputGradChannelsLast(g, out, arg, go, gzl));
        List<String> names = new ArrayList<>(parts.keySet());
        if (a.length > 2) names = List.of(Arrays.copyOfRange(a, 2, a.length));
        for (int i = 0; i < 5; i++) for (Runnable p : parts.values()) p.run();
        double[][] t = new double[names.size()][rounds];
        for (int k = 0; k < rounds; k++) for (int j = 0; j < names.size(); j++) { Runnable p = parts.get(names.get(j)); long t0 = System.nanoTime(); for (int i = 0; i < 3; i++) p.run(); t[j][k] = (System.nanoTime() - t0) / 3e6; }
        for (int j = 0; j < names.size(); j++) { Arrays.sort(t[j]); System.out.printf(Locale.ROOT, "  %-20s %.2f ms [%.2f-%.2f]%n", names.get(j), t[j][rounds/2], t[j][0], t[j][rounds-1]); }
        double s = 0; for (int i = 0; i < gw.length; i++) s += gw[i] * (i % 7 + 1);
        double sx = 0; for (int i = 0; i < gx.length; i++) sx += gx[i] * (i % 7 + 1);
        System.out.println("checks gw " + s + " gx " + sx);
    }
}
