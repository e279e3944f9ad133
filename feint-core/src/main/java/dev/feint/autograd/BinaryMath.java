package dev.feint.autograd;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/** Broadcasting pow, max, min and PReLU with gradients; comparisons (0/1, no gradient). */
public final class BinaryMath {
    private BinaryMath() {}

    private enum Kind { POW, MAX, MIN, PRELU }

    /**
     * a^b elementwise; d/db uses ln a (0 where {@code a <= 0}).
     *
     * @param a the base
     * @param b the exponent, broadcast against a
     * @return a^b, recorded for backprop
     */
    public static Tensor pow(Tensor a, Tensor b) { return binary(Kind.POW, a, b); }

    /**
     * Elementwise maximum; a tie sends the gradient to a.
     *
     * @param a the left operand
     * @param b the right operand, broadcast against a
     * @return max(a, b), recorded for backprop
     */
    public static Tensor max(Tensor a, Tensor b) { return binary(Kind.MAX, a, b); }

    /**
     * Elementwise minimum; a tie sends the gradient to a.
     *
     * @param a the left operand
     * @param b the right operand, broadcast against a
     * @return min(a, b), recorded for backprop
     */
    public static Tensor min(Tensor a, Tensor b) { return binary(Kind.MIN, a, b); }

    /**
     * x where x >= 0, slope * x elsewhere (slope broadcast to x).
     *
     * @param x the input
     * @param slope the slope of the negative part (per channel, or one)
     * @return prelu(x), recorded for backprop
     */
    public static Tensor prelu(Tensor x, Tensor slope) { return binary(Kind.PRELU, x, slope); }

    private static Tensor binary(Kind kind, Tensor a, Tensor b) {
        Shape os = Broadcast.result(a.shape(), b.shape());
        int n = os.size();
        int[] ia = Broadcast.sourceIndex(os, a.shape()), ib = Broadcast.sourceIndex(os, b.shape());
        float[] x = a.data(), y = b.data(), o = new float[n];
        for (int i = 0; i < n; i++) {
            float u = x[ia[i]], v = y[ib[i]];
            o[i] = switch (kind) {
                case POW -> (float) Math.pow(u, v);
                case MAX -> u >= v || Float.isNaN(u) ? u : v;
                case MIN -> u <= v || Float.isNaN(u) ? u : v;
                case PRELU -> u >= 0 ? u : u * v;
            };
        }
        return Grad.record(new Tensor(os, o), new Node(a, b) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = needs(a) ? a.gradBuffer() : null, gb = needs(b) ? b.gradBuffer() : null;
                for (int i = 0; i < n; i++) {
                    float u = x[ia[i]], v = y[ib[i]];
                    float da, db;
                    switch (kind) {
                        case POW -> {
                            da = v * (float) Math.pow(u, v - 1);
                            db = u > 0 ? o[i] * (float) Math.log(u) : 0f;
                        }
                        case MAX -> { boolean first = u >= v || Float.isNaN(u); da = first ? 1f : 0f; db = first ? 0f : 1f; }
                        case MIN -> { boolean first = u <= v || Float.isNaN(u); da = first ? 1f : 0f; db = first ? 0f : 1f; }
                        default -> { da = u >= 0 ? 1f : v; db = u >= 0 ? 0f : u; }
                    }
                    if (ga != null) ga[ia[i]] += g[i] * da;
                    if (gb != null) gb[ib[i]] += g[i] * db;
                }
            }
        }, a, b);
    }

    /** The comparisons {@link #compare} makes (ONNX Equal, Greater, Less, GreaterOrEqual, LessOrEqual). */
    public enum Comparison {
        /** a == b. */
        EQUAL,
        /** a &gt; b. */
        GREATER,
        /** a &lt; b. */
        LESS,
        /** a &gt;= b. */
        GREATER_OR_EQUAL,
        /** a &lt;= b. */
        LESS_OR_EQUAL
    }

    /**
     * 1 where the comparison holds, else 0 (broadcast; a constant: no gradient).
     *
     * @param c the comparison
     * @param a the left operand
     * @param b the right operand, broadcast against a
     * @return a tensor of 0 and 1
     */
    public static Tensor compare(Comparison c, Tensor a, Tensor b) {
        Shape os = Broadcast.result(a.shape(), b.shape());
        int[] ia = Broadcast.sourceIndex(os, a.shape()), ib = Broadcast.sourceIndex(os, b.shape());
        float[] x = a.data(), y = b.data(), o = new float[os.size()];
        for (int i = 0; i < o.length; i++) {
            float u = x[ia[i]], v = y[ib[i]];
            boolean r = switch (c) {
                case EQUAL -> u == v;
                case GREATER -> u > v;
                case LESS -> u < v;
                case GREATER_OR_EQUAL -> u >= v;
                case LESS_OR_EQUAL -> u <= v;
            };
            o[i] = r ? 1f : 0f;
        }
        return new Tensor(os, o);
    }
}
