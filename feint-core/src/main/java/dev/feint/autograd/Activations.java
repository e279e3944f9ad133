package dev.feint.autograd;

import dev.feint.tensor.Tensor;

/** Pointwise activations beyond {@link Unary}'s (as ONNX defines them), each with its derivative. */
public final class Activations {
    private Activations() {}

    /**
     * ELU: x where x > 0, alpha (e^x - 1) elsewhere.
     *
     * @param a the input
     * @param alpha the scale of the negative part (1 in ONNX)
     * @return elu(a), recorded for backprop
     */
    public static Tensor elu(Tensor a, float alpha) {
        return Unary.apply(a, new Unary.Fn() {
            public float f(float x) { return x > 0f ? x : alpha * (float) Math.expm1(x); }
            public float df(float x, float y) { return x > 0f ? 1f : y + alpha; }
        });
    }

    /**
     * SELU: gamma x where x > 0, gamma alpha (e^x - 1) elsewhere.
     *
     * @param a the input
     * @param alpha the negative part's scale (1.67326 in ONNX)
     * @param gamma the overall scale (1.0507 in ONNX)
     * @return selu(a), recorded for backprop
     */
    public static Tensor selu(Tensor a, float alpha, float gamma) {
        return Unary.apply(a, new Unary.Fn() {
            public float f(float x) { return x > 0f ? gamma * x : gamma * alpha * (float) Math.expm1(x); }
            public float df(float x, float y) { return x > 0f ? gamma : y + gamma * alpha; }
        });
    }

    /**
     * log(1 + e^x), computed without overflow.
     *
     * @param a the input
     * @return softplus(a), recorded for backprop
     */
    public static Tensor softplus(Tensor a) {
        return Unary.apply(a, new Unary.Fn() {
            public float f(float x) { return x > 0 ? x + (float) Math.log1p(Math.exp(-x)) : (float) Math.log1p(Math.exp(x)); }
            public float df(float x, float y) { return (float) (1 / (1 + Math.exp(-x))); }
        });
    }

    /**
     * max(0, min(1, alpha x + beta)).
     *
     * @param a the input
     * @param alpha the slope (0.2 in ONNX)
     * @param beta the offset (0.5 in ONNX)
     * @return hardSigmoid(a), recorded for backprop
     */
    public static Tensor hardSigmoid(Tensor a, float alpha, float beta) {
        return Unary.apply(a, new Unary.Fn() {
            public float f(float x) { return Math.max(0f, Math.min(1f, alpha * x + beta)); }
            public float df(float x, float y) { float v = alpha * x + beta; return v > 0f && v < 1f ? alpha : 0f; }
        });
    }

    /**
     * x * hardSigmoid(x, 1/6, 1/2).
     *
     * @param a the input
     * @return hardSwish(a), recorded for backprop
     */
    public static Tensor hardSwish(Tensor a) {
        return Unary.apply(a, new Unary.Fn() {
            public float f(float x) { return x * Math.max(0f, Math.min(1f, x / 6f + 0.5f)); }
            public float df(float x, float y) { return x <= -3f ? 0f : x >= 3f ? 1f : x / 3f + 0.5f; }
        });
    }

    /**
     * 1 / x elementwise.
     *
     * @param a the input
     * @return 1 / a, recorded for backprop
     */
    public static Tensor reciprocal(Tensor a) {
        return Unary.apply(a, new Unary.Fn() {
            public float f(float x) { return 1f / x; }
            public float df(float x, float y) { return -y * y; }
        });
    }

    /**
     * The error function, elementwise.
     *
     * @param a the input
     * @return erf(a), recorded for backprop
     */
    public static Tensor erf(Tensor a) {
        return Unary.apply(a, new Unary.Fn() {
            public float f(float x) { return (float) erf(x); }
            public float df(float x, float y) { return (float) (2 / Math.sqrt(Math.PI) * Math.exp(-(double) x * x)); }
        });
    }

    /**
     * GELU: x Phi(x) (exact) or its tanh approximation.
     *
     * @param a the input
     * @param tanhApproximation true for the tanh form (ONNX's approximate="tanh")
     * @return gelu(a), recorded for backprop
     */
    public static Tensor gelu(Tensor a, boolean tanhApproximation) {
        return Unary.apply(a, new Unary.Fn() {
            public float f(float x) {
                if (tanhApproximation) return (float) (0.5 * x * (1 + Math.tanh(K * (x + 0.044715 * x * x * x))));
                return (float) (0.5 * x * (1 + erf(x / Math.sqrt(2))));
            }
            public float df(float x, float y) {
                if (tanhApproximation) {
                    double u = K * (x + 0.044715 * x * x * x), t = Math.tanh(u);
                    return (float) (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * K * (1 + 3 * 0.044715 * x * x));
                }
                return (float) (0.5 * (1 + erf(x / Math.sqrt(2))) + x * Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI));
            }
        });
    }

    private static final double K = Math.sqrt(2 / Math.PI);

    /** erf to about 1e-15 (a series near 0, a continued-fraction complement beyond). */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax < 2.5) {                               // Maclaurin series, converges fast here
            double term = ax, sum = ax, x2 = ax * ax;
            for (int n = 1; n < 60; n++) {
                term *= -x2 / n;
                double add = term / (2 * n + 1);
                sum += add;
                if (Math.abs(add) < 1e-17 * Math.abs(sum)) break;
            }
            return Math.copySign(2 / Math.sqrt(Math.PI) * sum, x);
        }
        // erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + 1/2/(x + 1/(x + 3/2/(x + ...)))), Lentz-free backward evaluation
        double f = ax;
        for (int n = 60; n >= 1; n--) f = ax + (n / 2.0) / f;
        double erfc = Math.exp(-ax * ax) / Math.sqrt(Math.PI) / f;
        return Math.copySign(1 - erfc, x);
    }
}
