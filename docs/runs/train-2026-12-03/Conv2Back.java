import dev.feint.tensor.Parallel;
import dev.feint.tensor.kernels.*;
import java.util.*;

/** conv2's backward (pool gradient expansion + input + weight gradients): per-image NCHW route vs one channels-last expansion, alternating. */
public class Conv2Back {
    static float[] rnd(int n, long s) { SplittableRandom r = new SplittableRandom(s); float[] v = new float[n]; for (int i = 0; i < n; i++) v[i] = (float) (r.nextDouble() - 0.5); return v; }
    public static void main(String[] a) {
        int th = Integer.parseInt(a[0]), rounds = Integer.parseInt(a[1]), n = 128;
        Parallel.setThreads(th);
        ConvGeometry g = new ConvGeometry(n, 32, 14, 14, 64, 5, 5, 1, 1, 2, 2, 2, 2, 1, 1, 1);
        float[] x = rnd(n * 32 * 196, 4), w = rnd(64 * 32 * 25, 5), b = rnd(64, 6);
        float[] out = new float[n * 64 * 49]; int[] arg = new int[out.length];
        ConvReluPool.forward(g, x, w, b, 2, out, arg);
        float[] go = rnd(out.length, 7), gw = new float[w.length], gb = new float[64], gx = new float[x.length], gzl = new float[n * 64 * 196];
        PreparedConv pc = PreparedConv.inputGradient(g, w);
        Runnable old = () -> { var og = ConvReluPool.outputGrad(g, out, arg, go); Conv2dKernels.backwardInput(g, og, w, gx, pc); Conv2dKernels.backwardWeight(g, x, og, gw, gb); };
        Runnable nu = () -> { ConvReluPool.outputGradChannelsLast(g, out, arg, go, gzl); ChannelsLastInputGradient.backwardInput(g, gzl, w, gx, false, pc); Conv2dKernels.backwardWeightChannelsLast(g, x, gzl, gw, gb); };
        var og0 = ConvReluPool.outputGrad(g, out, arg, go);
        Runnable[] parts = {
            () -> { float[] d = new float[64*196]; for (int i = 0; i < n; i++) og0.image(i, d); },
            () -> ConvReluPool.outputGradChannelsLast(g, out, arg, go, gzl),
            () -> Conv2dKernels.backwardInput(g, og0, w, gx, pc),
            () -> ChannelsLastInputGradient.backwardInput(g, gzl, w, gx, false, pc),
            () -> Conv2dKernels.backwardWeight(g, x, og0, gw, gb),
            () -> Conv2dKernels.backwardWeightChannelsLast(g, x, gzl, gw, gb) };
        String[] names = {"expand per image", "expand CL", "input NCHW", "input CL", "weight NCHW", "weight CL"};
        for (int i = 0; i < 10; i++) for (Runnable p : parts) p.run();
        double[][] tp = new double[parts.length][rounds];
        for (int k = 0; k < rounds; k++) for (int j = 0; j < parts.length; j++) { long t0 = System.nanoTime(); for (int i = 0; i < 3; i++) parts[j].run(); tp[j][k] = (System.nanoTime() - t0) / 3e6; }
        for (int j = 0; j < parts.length; j++) { Arrays.sort(tp[j]); System.out.printf(Locale.ROOT, "  %-18s %.2f ms [%.2f-%.2f]%n", names[j], tp[j][rounds/2], tp[j][0], tp[j][rounds-1]); }
        for (int i = 0; i < 10; i++) { old.run(); nu.run(); }
        double[] to = new double[rounds], tn = new double[rounds];
        for (int k = 0; k < rounds; k++) {
            long t0 = System.nanoTime(); for (int i = 0; i < 3; i++) old.run(); to[k] = (System.nanoTime() - t0) / 3e6;
            t0 = System.nanoTime(); for (int i = 0; i < 3; i++) nu.run(); tn[k] = (System.nanoTime() - t0) / 3e6;
        }
        Arrays.sort(to); Arrays.sort(tn);
        System.out.printf(Locale.ROOT, "threads %d: per-image NCHW %.2f ms [%.2f-%.2f], channels-last once %.2f ms [%.2f-%.2f]%n", th, to[rounds/2], to[0], to[rounds-1], tn[rounds/2], tn[0], tn[rounds-1]);
    }
}
