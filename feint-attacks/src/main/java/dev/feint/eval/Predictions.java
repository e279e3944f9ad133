package dev.feint.eval;

import dev.feint.autograd.Reductions;
import dev.feint.data.Batch;
import dev.feint.data.Batches;
import dev.feint.data.Dataset;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

import java.util.Arrays;

/**
 * A model's arg-max predictions, computed batch by batch: over a {@link Dataset} read as it goes
 * (the next batch decoded on a background thread), or over inputs already in memory (an attack's
 * adversarial output). The same batches give the same bits either way.
 */
public final class Predictions {
    private Predictions() {}

    /**
     * Predictions for every example of {@code data}, read {@code batchSize} examples at a time.
     *
     * @param model the model
     * @param data the examples
     * @param batchSize examples per forward pass
     * @return the predicted class of each example
     */
    public static int[] of(Model model, Dataset data, int batchSize) {
        int[] out = new int[data.size()];
        for (Batch b : Batches.inOrder(data, batchSize).prefetched().epoch(0))
            System.arraycopy(Reductions.argmaxLast(model.logits(b.x())), 0, out, b.indices()[0], b.size());
        return out;
    }

    /**
     * Predictions for x [N, C, H, W], in batches of {@code batchSize}.
     *
     * @param model the model
     * @param x the inputs [N, C, H, W]
     * @param batchSize examples per forward pass
     * @return the predicted class of each example
     */
    public static int[] of(Model model, Tensor x, int batchSize) {
        int n = x.dim(0), d = model.inputSize();
        int[] out = new int[n];
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Tensor xb = Tensor.of(Arrays.copyOfRange(x.data(), from * d, to * d), to - from, x.dim(1), x.dim(2), x.dim(3));
            System.arraycopy(Reductions.argmaxLast(model.logits(xb)), 0, out, from, to - from);
        }
        return out;
    }

    /**
     * Per example: the prediction equals the label.
     *
     * @param predictions the predicted classes
     * @param labels the true labels
     * @return per example, whether they agree
     */
    public static boolean[] correct(int[] predictions, int[] labels) {
        if (predictions.length != labels.length)
            throw new IllegalArgumentException(predictions.length + " predictions for " + labels.length + " labels");
        boolean[] ok = new boolean[labels.length];
        for (int i = 0; i < ok.length; i++) ok[i] = predictions[i] == labels[i];
        return ok;
    }
}
