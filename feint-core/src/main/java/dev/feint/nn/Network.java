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

    /** A freshly initialised network with identity normalisation. */
    public static Network create(Architecture arch, long seed) {
        int c = arch.input()[0];
        float[] m = new float[c], s = new float[c];
        java.util.Arrays.fill(s, 1f);
        return new Network(arch, arch.build(seed), m, s);
    }

    public Architecture architecture() { return arch; }

    /** The layers: a {@link Sequential} for presets and specs, any {@link Module} (a {@link Graph}) otherwise. */
    public Module body() { return body; }

    /** The body as a chain of layers (presets and specs are chains); a clear error for a graph body. */
    public Sequential chain() {
        if (body instanceof Sequential s) return s;
        throw new IllegalStateException("this network's body is a " + body.getClass().getSimpleName() + ", not a chain of layers");
    }

    public float[] mean() { return mean.clone(); }

    public float[] std() { return std.clone(); }

    /** Logits [n, classes] for inputs [n, c, h, w]. */
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

    public Network train() { body.train(); return this; }

    public Network eval() { body.eval(); return this; }
}
