package dev.feint.nn;

import dev.feint.autograd.Grad;
import dev.feint.autograd.Node;
import dev.feint.tensor.Tensor;

/**
 * A classifier: per-channel normalisation (x - mean) / std, then the body (any module). Inputs stay in
 * [0, 1]; the normalisation belongs to the model so attacks work in input space.
 */
public final class Network {
    private final Architecture arch;
    private final Module body;
    private final float[] mean, std;

    /**
     * A network over a built body and its input normalisation.
     *
     * @param arch the architecture the body was built from
     * @param body the layers
     * @param mean the per-channel mean subtracted from inputs (copied)
     * @param std the per-channel standard deviation inputs are divided by, each above 0 (copied)
     * @throws IllegalArgumentException if mean or std has another channel count or a std is not above 0
     */
    public Network(Architecture arch, Module body, float[] mean, float[] std) {
        int c = arch.input()[0];
        if (mean.length != c || std.length != c)
            throw new IllegalArgumentException("normalisation needs " + c + " channels, got mean " + mean.length + ", std " + std.length);
        for (float s : std) if (!(s > 0)) throw new IllegalArgumentException("normalisation std must be > 0, got " + s);
        this.arch = arch;
        this.body = body;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * A freshly initialised network with identity normalisation.
     *
     * @param arch the architecture
     * @param seed the seed of the initial weights
     * @return the network
     */
    public static Network create(Architecture arch, long seed) {
        int c = arch.input()[0];
        float[] m = new float[c], s = new float[c];
        java.util.Arrays.fill(s, 1f);
        return new Network(arch, arch.build(seed), m, s);
    }

    /** {@return the architecture the network was built from} */
    public Architecture architecture() { return arch; }

    /** {@return the layers: a {@link Sequential} for presets and specs, any {@link Module} (a {@link Graph}) otherwise} */
    public Module body() { return body; }

    /**
     * The body as a chain of layers (presets and specs are chains); a clear error for a graph body.
     *
     * @return the body as a {@link Sequential}
     * @throws IllegalStateException if the body is not a chain
     */
    public Sequential chain() {
        if (body instanceof Sequential s) return s;
        throw new IllegalStateException("this network's body is a " + body.getClass().getSimpleName() + ", not a chain of layers");
    }

    /** {@return the per-channel input mean (a copy)} */
    public float[] mean() { return mean.clone(); }

    /** {@return the per-channel input standard deviation (a copy)} */
    public float[] std() { return std.clone(); }

    /**
     * Logits [n, classes] for inputs [n, c, h, w].
     *
     * @param x inputs in input space ([0, 1]), normalised here
     * @return the logits, recorded for backprop (so gradients reach {@code x})
     */
    public Tensor forward(Tensor x) { return body.forward(normalize(x)); }

    private Tensor normalize(Tensor x) {
        boolean identity = true;
        for (int i = 0; i < mean.length; i++) identity &= mean[i] == 0f && std[i] == 1f;
        if (identity) return x;
        int n = x.dim(0), c = x.dim(1), s = x.size() / Math.max(1, n * c);
        float[] xd = x.data(), y = new float[xd.length];
        for (int i = 0; i < n; i++)
            for (int ch = 0; ch < c; ch++) {
                int o = (i * c + ch) * s;
                float m = mean[ch], inv = 1f / std[ch];
                for (int j = 0; j < s; j++) y[o + j] = (xd[o + j] - m) * inv;
            }
        return Grad.record(new Tensor(x.shape(), y), new Node(x) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] gx = x.gradBuffer();
                for (int i = 0; i < n; i++)
                    for (int ch = 0; ch < c; ch++) {
                        int o = (i * c + ch) * s;
                        float inv = 1f / std[ch];
                        for (int j = 0; j < s; j++) gx[o + j] += g[o + j] * inv;
                    }
            }
        }, x);
    }

    /** {@return this network, its body switched to training mode} */
    public Network train() { body.train(); return this; }

    /** {@return this network, its body switched to evaluation mode} */
    public Network eval() { body.eval(); return this; }
}
