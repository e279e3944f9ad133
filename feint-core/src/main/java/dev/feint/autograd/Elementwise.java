package dev.feint.autograd;

import dev.feint.tensor.Shape;
import dev.feint.tensor.Arena;
import dev.feint.tensor.Tensor;
import dev.feint.tensor.kernels.ResidualJoin;

/** Broadcasting binary arithmetic, scalar arithmetic and {@code where}. */
public final class Elementwise {
    private Elementwise() {}

    private enum Kind { ADD, SUB, MUL, DIV }

    /**
     * a + b elementwise, with broadcasting.
     *
     * @param a the left operand
     * @param b the right operand, broadcast against a (NumPy rules)
     * @return a + b, recorded for backprop
     */
    public static Tensor add(Tensor a, Tensor b) { return binary(Kind.ADD, a, b); }

    /**
     * a - b elementwise, with broadcasting.
     *
     * @param a the left operand
     * @param b the right operand, broadcast against a (NumPy rules)
     * @return a - b, recorded for backprop
     */
    public static Tensor sub(Tensor a, Tensor b) { return binary(Kind.SUB, a, b); }

    /**
     * a * b elementwise, with broadcasting.
     *
     * @param a the left operand
     * @param b the right operand, broadcast against a (NumPy rules)
     * @return a * b, recorded for backprop
     */
    public static Tensor mul(Tensor a, Tensor b) { return binary(Kind.MUL, a, b); }

    /**
     * a / b elementwise, with broadcasting.
     *
     * @param a the left operand
     * @param b the right operand, broadcast against a (NumPy rules)
     * @return a / b, recorded for backprop
     */
    public static Tensor div(Tensor a, Tensor b) { return binary(Kind.DIV, a, b); }

    private static Tensor binary(Kind kind, Tensor a, Tensor b) {
        float[] ca = a.channelsLastData(), cb = b.channelsLastData();
        if (ca != null && cb != null && a.shape().equals(b.shape()) && (kind == Kind.ADD || kind == Kind.SUB || !Grad.recording(a, b))) {
            // Two channels-last inference activations (a residual join): same layout, so elementwise as they are.
            float[] o = Arena.floatsToOverwrite(ca.length);
            // One plain loop per kind, not a switch per element.
            switch (kind) {
                case ADD -> ResidualJoin.add(ca, cb, o, false);
                case SUB -> { for (int i = 0; i < o.length; i++) o[i] = ca[i] - cb[i]; }
                case MUL -> { for (int i = 0; i < o.length; i++) o[i] = ca[i] * cb[i]; }
                case DIV -> { for (int i = 0; i < o.length; i++) o[i] = ca[i] / cb[i]; }
            }
            Tensor out = Tensor.channelsLast(a.shape(), o);
            if (kind != Kind.ADD && kind != Kind.SUB) return out;   // inference only (see the condition)
            boolean sub = kind == Kind.SUB;
            return Grad.record(out, new Node(a, b) {
                @Override protected boolean channelsLastGradient() { return true; }

                @Override protected void backward(Tensor t, float[] g) {
                    if (needs(a)) accumulate(g, a.gradBufferChannelsLast());
                    if (needs(b)) {
                        float[] gb = b.gradBufferChannelsLast();
                        if (sub) for (int i = 0; i < g.length; i++) gb[i] -= g[i];
                        else accumulate(g, gb);
                    }
                }
            }, a, b);
        }
        Shape os = a.shape().equals(b.shape()) ? a.shape() : Broadcast.result(a.shape(), b.shape());
        int n = os.size();
        int[] ia = a.shape().equals(os) ? null : Broadcast.sourceIndex(os, a.shape());
        int[] ib = b.shape().equals(os) ? null : Broadcast.sourceIndex(os, b.shape());
        float[] x = a.data(), y = b.data(), o = Arena.floats(n);
        for (int i = 0; i < n; i++) {
            float u = x[ia == null ? i : ia[i]], v = y[ib == null ? i : ib[i]];
            o[i] = switch (kind) {
                case ADD -> u + v;
                case SUB -> u - v;
                case MUL -> u * v;
                case DIV -> u / v;
            };
        }
        Tensor out = new Tensor(os, o);
        return Grad.record(out, new Node(a, b) {
            @Override protected void backward(Tensor t, float[] g) {
                if (needs(a)) {
                    float[] ga = a.gradBuffer();
                    for (int i = 0; i < n; i++) {
                        int j = ia == null ? i : ia[i];
                        float d = switch (kind) {
                            case ADD, SUB -> g[i];
                            case MUL -> g[i] * y[ib == null ? i : ib[i]];
                            case DIV -> g[i] / y[ib == null ? i : ib[i]];
                        };
                        ga[j] += d;
                    }
                }
                if (needs(b)) {
                    float[] gb = b.gradBuffer();
                    for (int i = 0; i < n; i++) {
                        int j = ib == null ? i : ib[i];
                        float d = switch (kind) {
                            case ADD -> g[i];
                            case SUB -> -g[i];
                            case MUL -> g[i] * x[ia == null ? i : ia[i]];
                            case DIV -> -g[i] * o[i] / y[j];
                        };
                        gb[j] += d;
                    }
                }
            }
        }, a, b);
    }

    /**
     * a * s for a constant s.
     *
     * @param a the input
     * @param s the constant
     * @return a * s, recorded for backprop
     */
    public static Tensor scale(Tensor a, float s) {
        float[] x = a.data(), o = Arena.floats(x.length);
        for (int i = 0; i < x.length; i++) o[i] = x[i] * s;
        return Grad.record(new Tensor(a.shape(), o), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int i = 0; i < g.length; i++) ga[i] += g[i] * s;
            }
        }, a);
    }

    /**
     * a + s for a constant s.
     *
     * @param a the input
     * @param s the constant
     * @return a + s, recorded for backprop
     */
    public static Tensor addScalar(Tensor a, float s) {
        float[] x = a.data(), o = Arena.floats(x.length);
        for (int i = 0; i < x.length; i++) o[i] = x[i] + s;
        return Grad.record(new Tensor(a.shape(), o), new Node(a) {
            @Override protected void backward(Tensor t, float[] g) {
                float[] ga = a.gradBuffer();
                for (int i = 0; i < g.length; i++) ga[i] += g[i];
            }
        }, a);
    }

    /**
     * -a elementwise.
     *
     * @param a the input
     * @return -a, recorded for backprop
     */
    public static Tensor neg(Tensor a) { return scale(a, -1f); }

    /**
     * Picks a where mask is non-zero, else b (same shapes). The mask is a constant: no gradient
     * flows into it.
     *
     * @param mask the condition, non-zero where a is picked
     * @param a the values where the mask is set
     * @param b the values elsewhere
     * @return the picked values, recorded for backprop into a and b
     */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        if (!mask.shape().equals(a.shape()) || !a.shape().equals(b.shape()))
            throw new IllegalArgumentException("where needs equal shapes, got " + mask.shape() + ", "
                    + a.shape() + ", " + b.shape());
        float[] m = mask.data(), x = a.data(), y = b.data(), o = Arena.floats(x.length);
        for (int i = 0; i < o.length; i++) o[i] = m[i] != 0f ? x[i] : y[i];
        return Grad.record(new Tensor(a.shape(), o), new Node(a, b) {
            @Override protected void backward(Tensor t, float[] g) {
                if (needs(a)) {
                    float[] ga = a.gradBuffer();
                    for (int i = 0; i < g.length; i++) if (m[i] != 0f) ga[i] += g[i];
                }
                if (needs(b)) {
                    float[] gb = b.gradBuffer();
                    for (int i = 0; i < g.length; i++) if (m[i] == 0f) gb[i] += g[i];
                }
            }
        }, a, b);
    }

    /** dst[i] += src[i] (a gradient passed on unchanged): the residual join's sum, in place. */
    static void accumulate(float[] src, float[] dst) { ResidualJoin.add(src, dst, dst, false); }
}
