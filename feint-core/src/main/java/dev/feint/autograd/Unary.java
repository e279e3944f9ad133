package dev.feint.autograd;

import dev.feint.tensor.Arena;
import dev.feint.tensor.Tensor;
import dev.feint.tensor.kernels.ResidualJoin;

/** Pointwise functions; each backward rule uses the input x and/or the output y. */
public final class Unary {
    private Unary() {}

    /** A pointwise function with its derivative dy/dx expressed from x and y. */
    interface Fn {
        float f(float x);

        float df(float x, float y);
    }

    static Tensor apply(Tensor a, Fn fn) {
        float[] x = a.data(), y = Arena.floats(x.length);
        for (int i = 0; i < x.length; i++) y[i] = fn.f(x[i]);
        return Grad.record(new Tensor(a.shape(), y), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int i = 0; i < g.length; i++) ga[i] += g[i] * fn.df(x[i], y[i]);
            }
        }, a);
    }

    /**
     * max(0, x) elementwise.
     *
     * @param a the input
     * @return relu(a), recorded for backprop
     */
    public static Tensor relu(Tensor a) {
        float[] x = a.data(), y = Arena.floats(x.length);
        for (int i = 0; i < x.length; i++) y[i] = x[i] > 0f ? x[i] : 0f;
        return Grad.record(new Tensor(a.shape(), y), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int i = 0; i < g.length; i++) if (x[i] > 0f) ga[i] += g[i];
            }
        }, a);
    }

    /**
     * relu(a + b) in one pass for equal shapes (ResNet's Add + Relu), else the two ops; the gradient
     * reaches both inputs where the sum is positive.
     *
     * @param a one addend
     * @param b the other addend, broadcast against a
     * @return relu(a + b), recorded for backprop
     */
    public static Tensor addRelu(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) return relu(Elementwise.add(a, b));
        float[] ca = a.channelsLastData(), cb = b.channelsLastData();
        if (ca != null && cb != null && !Grad.recording(a, b)) {   // two channels-last inference activations
            float[] y = Arena.floatsToOverwrite(ca.length);   // every element written
            ResidualJoin.add(ca, cb, y, true);
            return Tensor.channelsLast(a.shape(), y);
        }
        float[] x = a.data(), z = b.data(), y = Arena.floats(x.length);
        for (int i = 0; i < x.length; i++) {
            float s = x[i] + z[i];
            y[i] = s > 0f ? s : 0f;
        }
        return Grad.record(new Tensor(a.shape(), y), new Node(a, b) {
            @Override protected void backward(Tensor t, float[] g) {
                if (needs(a)) {
                    float[] ga = a.gradBuffer();
                    for (int i = 0; i < g.length; i++) if (y[i] > 0f) ga[i] += g[i];
                }
                if (needs(b)) {
                    float[] gb = b.gradBuffer();
                    for (int i = 0; i < g.length; i++) if (y[i] > 0f) gb[i] += g[i];
                }
            }
        }, a, b);
    }

    /**
     * x where x > 0, slope * x elsewhere.
     *
     * @param a the input
     * @param slope the slope of the negative part (0.01 in PyTorch)
     * @return leakyRelu(a), recorded for backprop
     */
    public static Tensor leakyRelu(Tensor a, float slope) {
        return apply(a, new Fn() {
            public float f(float x) { return x > 0f ? x : slope * x; }
            public float df(float x, float y) { return x > 0f ? 1f : slope; }
        });
    }

    /**
     * tanh(x) elementwise.
     *
     * @param a the input
     * @return tanh(a), recorded for backprop
     */
    public static Tensor tanh(Tensor a) {
        return apply(a, new Fn() {
            public float f(float x) { return (float) Math.tanh(x); }
            public float df(float x, float y) { return 1f - y * y; }
        });
    }

    /**
     * 1 / (1 + e^-x) elementwise, computed without overflow.
     *
     * @param a the input
     * @return sigmoid(a), recorded for backprop
     */
    public static Tensor sigmoid(Tensor a) {
        return apply(a, new Fn() {
            public float f(float x) {
                // Stable on both sides: never exponentiates a large positive number.
                return x >= 0 ? (float) (1 / (1 + Math.exp(-x))) : (float) (Math.exp(x) / (1 + Math.exp(x)));
            }
            public float df(float x, float y) { return y * (1f - y); }
        });
    }

    /**
     * e^x elementwise.
     *
     * @param a the input
     * @return exp(a), recorded for backprop
     */
    public static Tensor exp(Tensor a) {
        return apply(a, new Fn() {
            public float f(float x) { return (float) Math.exp(x); }
            public float df(float x, float y) { return y; }
        });
    }

    /**
     * The natural logarithm, elementwise.
     *
     * @param a the input
     * @return log(a), recorded for backprop
     */
    public static Tensor log(Tensor a) {
        return apply(a, new Fn() {
            public float f(float x) { return (float) Math.log(x); }
            public float df(float x, float y) { return 1f / x; }
        });
    }

    /**
     * The square root, elementwise.
     *
     * @param a the input
     * @return sqrt(a), recorded for backprop
     */
    public static Tensor sqrt(Tensor a) {
        return apply(a, new Fn() {
            public float f(float x) { return (float) Math.sqrt(x); }
            public float df(float x, float y) { return 0.5f / y; }
        });
    }

    /**
     * |x|; the subgradient at 0 is 0.
     *
     * @param a the input
     * @return |a|, recorded for backprop
     */
    public static Tensor abs(Tensor a) {
        return apply(a, new Fn() {
            public float f(float x) { return Math.abs(x); }
            public float df(float x, float y) { return Math.signum(x); }
        });
    }

    /**
     * sign(x) in {-1, 0, 1}; its gradient is 0 almost everywhere.
     *
     * @param a the input
     * @return sign(a), recorded for backprop
     */
    public static Tensor sign(Tensor a) {
        return apply(a, new Fn() {
            public float f(float x) { return Math.signum(x); }
            public float df(float x, float y) { return 0f; }
        });
    }

    /**
     * Clamps into [lo, hi]; the gradient passes where {@code lo <= x <= hi}.
     *
     * @param a the input
     * @param lo the lower bound
     * @param hi the upper bound
     * @return the clamped tensor, recorded for backprop
     */
    public static Tensor clamp(Tensor a, float lo, float hi) {
        if (lo > hi) throw new IllegalArgumentException("clamp needs lo <= hi, got " + lo + " > " + hi);
        return apply(a, new Fn() {
            public float f(float x) { return x < lo ? lo : (x > hi ? hi : x); }
            public float df(float x, float y) { return x >= lo && x <= hi ? 1f : 0f; }
        });
    }

    /**
     * x^p for a constant p.
     *
     * @param a the input
     * @param p the exponent
     * @return a^p, recorded for backprop
     */
    public static Tensor pow(Tensor a, float p) {
        return apply(a, new Fn() {
            public float f(float x) { return (float) Math.pow(x, p); }
            public float df(float x, float y) { return p * (float) Math.pow(x, p - 1); }
        });
    }
}
