package dev.feint.bench;

import dev.feint.tensor.kernels.Conv2dKernels;
import dev.feint.tensor.kernels.ConvGeometry;

/**
 * MobileNet-V2's depthwise 3x3 layers (torchvision's mobilenet_v2 on a 3x32x32 input, width
 * multiplier 1.0: 32 channels at 16x16 down to 960 at 1x1, strides 1 and 2, padding 1): the
 * depthwise kernel against the same layers run group by group on the im2col/GEMM path, for the
 * forward pass and both backward passes, on 1 and 2 threads (best of several runs, milliseconds).
 * Arguments: batch size (default 64), width multiplier (default 1.0).
 *
 * <pre>java --add-modules jdk.incubator.vector -cp $CP dev.feint.bench.DepthwiseReport 64 1.0</pre>
 */
public final class DepthwiseReport {
    private DepthwiseReport() {}

    /** {channels at width 1.0, input side, stride} of each distinct depthwise layer of mobilenet_v2 at 32x32. */
    private static final int[][] LAYERS = {{32, 16, 1}, {96, 16, 2}, {144, 8, 1}, {144, 8, 2}, {192, 4, 1}, {192, 4, 2},
                                           {384, 2, 1}, {576, 2, 1}, {576, 2, 2}, {960, 1, 1}};

    /**
     * Prints the depthwise kernels' times on each distinct mobilenet_v2 layer.
     *
     * @param args optional: the batch size (default 64) and the width multiplier (default 1.0)
     */
    public static void main(String[] args) {
        int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        double width = args.length > 1 ? Double.parseDouble(args[1]) : 1.0;
        System.out.printf("batch %d, width %.2f; ms per op: depthwise kernel / per-group GEMM (ratio)%n", batch, width);
        System.out.printf("%-22s %-15s %-26s %-26s%n", "layer", "op", "1 thread", "2 threads");
        double[][] total = new double[2][2];
        for (boolean timed : new boolean[] {false, true})      // an untimed pass first: every path compiled before the first figure
            for (int[] l : LAYERS) run(l, batch, width, timed, total);
        Conv2dKernels.setDepthwiseKernel(true);
        System.out.printf("all layers, all ops: 1 thread %.1f / %.1f ms (%.1fx), 2 threads %.1f / %.1f ms (%.1fx)%n",
                total[0][0], total[0][1], total[0][1] / total[0][0], total[1][0], total[1][1], total[1][1] / total[1][0]);
        dev.feint.tensor.Parallel.setThreads(Runtime.getRuntime().availableProcessors());
    }

    /** One layer's three ops on 1 and 2 threads; printed and added to the totals when {@code timed}. */
    private static void run(int[] l, int batch, double width, boolean timed, double[][] total) {
        String[] names = {"forward", "backwardInput", "backwardWeight"};
        int c = Math.max(8, (int) Math.round(l[0] * width / 8) * 8);
        ConvGeometry g = new ConvGeometry(batch, c, l[1], l[1], c, 3, 3, l[2], l[2], 1, 1, 1, 1, 1, 1, c);
        ConvReport.Op[] ops = {(x, w, b, o, go, gx, gw, gb) -> Conv2dKernels.forward(g, x, w, b, o),
                               (x, w, b, o, go, gx, gw, gb) -> Conv2dKernels.backwardInput(g, go, w, gx),
                               (x, w, b, o, go, gx, gw, gb) -> Conv2dKernels.backwardWeight(g, x, go, gw, gb)};
        for (int i = 0; i < ops.length; i++) {
            StringBuilder row = new StringBuilder(String.format("%-22s %-15s ", c + "ch " + l[1] + "x" + l[1] + " s" + l[2], names[i]));
            for (int t = 1; t <= 2; t++) {
                Conv2dKernels.setDepthwiseKernel(true);
                double fast = ConvReport.time(g, ops[i], t, timed ? 5 : 1);
                Conv2dKernels.setDepthwiseKernel(false);
                double gemm = ConvReport.time(g, ops[i], t, timed ? 3 : 1);
                if (!timed) continue;
                total[t - 1][0] += fast;
                total[t - 1][1] += gemm;
                row.append(String.format("%-26s", String.format("%.3f / %.3f (%.1fx)", fast, gemm, gemm / fast)));
            }
            if (timed) System.out.println(row);
        }
    }
}
