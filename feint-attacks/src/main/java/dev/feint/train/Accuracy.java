package dev.feint.train;

import dev.feint.autograd.Grad;
import dev.feint.autograd.Reductions;
import dev.feint.data.Dataset;
import dev.feint.nn.Network;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Tensor;

/** Clean top-1 accuracy of a network over a dataset, in eval mode and without a graph. */
public final class Accuracy {
    private Accuracy() {}

    /**
     * Reads the data a batch at a time (a split is never expanded whole).
     *
     * @param net the network (evaluated in eval mode)
     * @param data the examples
     * @param batch examples per forward pass
     * @return the fraction classified correctly
     */
    public static double of(Network net, Dataset data, int batch) {
        if (data.size() == 0) return Double.NaN;
        int ok = 0;
        for (dev.feint.data.Batch b : dev.feint.data.Batches.inOrder(data, batch).prefetched().epoch(0)) {
            int[] pred = predict(net, b.x(), batch);
            for (int i = 0; i < pred.length; i++) if (pred[i] == b.y()[i]) ok++;
        }
        return (double) ok / data.size();
    }

    /**
     * Argmax predictions for images [n, c, h, w]; restores the network's training mode.
     *
     * @param net the network
     * @param images the inputs [n, c, h, w]
     * @param batch examples per forward pass
     * @return the predicted class of each image
     */
    public static int[] predict(Network net, Tensor images, int batch) {
        boolean wasTraining = net.body().isTraining();
        net.eval();
        int n = images.dim(0), per = images.size() / Math.max(1, n);
        int[] out = new int[n];
        try (var ng = Grad.noGrad(); var frozen = FrozenWeights.open()) {
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                int[] d = images.dims();
                d[0] = to - from;
                float[] buf = new float[(to - from) * per];
                System.arraycopy(images.data(), from * per, buf, 0, buf.length);
                int[] p = Reductions.argmaxLast(net.forward(Tensor.of(buf, d)));
                System.arraycopy(p, 0, out, from, p.length);
            }
        } finally {
            if (wasTraining) net.train();
        }
        return out;
    }
}
