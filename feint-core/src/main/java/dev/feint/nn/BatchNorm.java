package dev.feint.nn;

import dev.feint.autograd.Normalization;
import dev.feint.tensor.Tensor;

import java.util.Arrays;
import java.util.Map;

/** BatchNorm1d ([n, c]) and BatchNorm2d ([n, c, h, w]) with running statistics, as PyTorch. */
public final class BatchNorm extends Module {
    /** The number of channels normalised. */
    public final int channels;
    /** True for BatchNorm2d (inputs [n, c, h, w]), false for BatchNorm1d ([n, c]). */
    public final boolean spatial;
    /** PyTorch's defaults: eps added to the variance, momentum of the running statistics. */
    public final float eps = 1e-5f, momentum = 0.1f;
    private final Tensor weight, bias;
    private final float[] runningMean, runningVar;
    private final long[] batchesTracked = new long[1];
    private BatchNorm aux;
    private boolean auxCopy;

    /**
     * A BatchNorm with scale 1, shift 0, running mean 0 and running variance 1.
     *
     * @param channels the number of channels
     * @param spatial true for [n, c, h, w] inputs, false for [n, c]
     */
    public BatchNorm(int channels, boolean spatial) {
        this.channels = channels;
        this.spatial = spatial;
        this.weight = param("weight", Tensor.full(1f, channels));
        this.bias = param("bias", Tensor.zeros(channels));
        this.runningMean = buffer("running_mean", new float[channels]);
        float[] v = new float[channels];
        Arrays.fill(v, 1f);
        this.runningVar = buffer("running_var", v);
    }

    /** Adds the auxiliary BatchNorm AdvProp routes adversarial batches through (child "aux"). */
    void addAuxiliary() {
        if (aux != null) return;
        aux = child("aux", new BatchNorm(channels, spatial));
        aux.auxCopy = true;
        System.arraycopy(weight.data(), 0, aux.weight.data(), 0, channels);
        System.arraycopy(bias.data(), 0, aux.bias.data(), 0, channels);
        aux.weight.markModified();
        aux.bias.markModified();
        System.arraycopy(runningMean, 0, aux.runningMean, 0, channels);
        System.arraycopy(runningVar, 0, aux.runningVar, 0, channels);
        aux.setTraining(isTraining());
    }

    boolean isAuxiliaryCopy() { return auxCopy; }

    /** {@return the auxiliary copy AdvProp routes adversarial batches through, or null} */
    public BatchNorm auxiliary() { return aux; }

    @Override public Tensor forward(Tensor x) { return forward(x, false); }

    /**
     * relu(forward(x)) as one op ({@link Normalization#batchNormRelu}): a pre-activation block's BN + ReLU.
     *
     * @param x the input
     * @return relu(bn(x)), recorded for backprop
     */
    public Tensor forwardRelu(Tensor x) { return forward(x, true); }

    private Tensor forward(Tensor x, boolean relu) {
        if (aux != null && BatchNormRouting.auxiliary()) return aux.forward(x, relu);
        int want = spatial ? 4 : 2;
        if (x.rank() != want || x.dim(1) != channels)
            throw new IllegalArgumentException("BatchNorm" + (spatial ? "2d" : "1d") + "(" + channels
                    + ") got input " + x.shape());
        if (isTraining()) batchesTracked[0]++;
        return relu ? Normalization.batchNormRelu(x, weight, bias, runningMean, runningVar, isTraining(), momentum, eps)
                : Normalization.batchNorm(x, weight, bias, runningMean, runningVar, isTraining(), momentum, eps);
    }

    /** {@return the running means (the live array, updated in training mode)} */
    public float[] runningMean() { return runningMean; }

    /** {@return the running variances (the live array, updated in training mode)} */
    public float[] runningVar() { return runningVar; }

    @Override protected void ownCounters(String prefix, Map<String, long[]> out) {
        out.put(prefix + "num_batches_tracked", batchesTracked);
    }
}
