package dev.feint.tensor;

import dev.feint.autograd.Backprop;
import dev.feint.autograd.Node;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A float32, contiguous, row-major n-dimensional array that can take part in reverse-mode autodiff.
 *
 * <p>Tensors produced by differentiable ops while gradient mode is on carry a {@link Node} that
 * knows how to push their gradient back to their inputs. Leaves ask for a gradient with
 * {@link #requiresGrad(boolean)}; after {@link #backward()} it is in {@link #grad()}.
 */
public final class Tensor {
    private final Shape shape;
    /** The NCHW (row-major) data; null while only the channels-last form exists (made on first {@link #data()}). */
    private volatile float[] data;
    /** A rank-4 result held [n][h][w][c] by an inference kernel, until something asks for {@link #data()}. */
    private volatile float[] channelsLast;
    private float[] grad;
    private boolean leafRequiresGrad;
    private Node node;
    /** Bumped by {@link #markModified()}: forms derived from the data are rebuilt when it moves. */
    private volatile int version;
    private volatile Derived[] derived = NO_DERIVED;

    private record Derived(Object kind, FrozenWeights scope, int version, Object value) {}

    private static final Derived[] NO_DERIVED = {};

    public Tensor(Shape shape, float[] data) {
        if (data.length != shape.size())
            throw new IllegalArgumentException("data length " + data.length + " does not match shape " + shape);
        this.shape = shape;
        this.data = data;
    }

    private Tensor(float[] nhwc, Shape nchw) {
        this.shape = nchw;
        this.channelsLast = nhwc;
    }

    /**
     * A rank-4 tensor of shape [n, c, h, w] whose values are given channels-last, nhwc[n][h][w][c]
     * (an inference kernel's output, read as it is by the next channels-last kernel); the
     * row-major {@link #data()} is made from it on first use.
     */
    public static Tensor channelsLast(Shape nchw, float[] nhwc) {
        if (nchw.rank() != 4 || nhwc.length != nchw.size())
            throw new IllegalArgumentException("channels-last data needs a rank-4 shape of its length " + nhwc.length + ", got " + nchw);
        return new Tensor(nhwc, nchw);
    }

    /**
     * The channels-last values [n][h][w][c] of a tensor made by {@link #channelsLast}, or null
     * (row-major only, or already turned row-major by {@link #data()}: writes into that array
     * would not be seen here). Read-only.
     */
    public float[] channelsLastData() { return channelsLast; }

    public static Tensor zeros(int... dims) {
        Shape s = Shape.of(dims);
        return new Tensor(s, new float[s.size()]);
    }

    public static Tensor zeros(Shape s) { return new Tensor(s, new float[s.size()]); }

    public static Tensor full(float v, int... dims) {
        Tensor t = zeros(dims);
        Arrays.fill(t.data, v);
        return t;
    }

    public static Tensor of(float[] data, int... dims) { return new Tensor(Shape.of(dims), data); }

    public static Tensor scalar(float v) { return new Tensor(Shape.of(), new float[] {v}); }

    /** Uniform in [lo, hi) from a seeded generator. */
    public static Tensor uniform(SplittableRandom rng, float lo, float hi, int... dims) {
        Tensor t = zeros(dims);
        for (int i = 0; i < t.data.length; i++) t.data[i] = lo + (hi - lo) * (float) rng.nextDouble();
        return t;
    }

    /** Standard normal times std, from a seeded generator (Box-Muller, deterministic). */
    public static Tensor normal(SplittableRandom rng, float std, int... dims) {
        Tensor t = zeros(dims);
        for (int i = 0; i < t.data.length; i += 2) {
            double u1 = rng.nextDouble(), u2 = rng.nextDouble();
            double r = Math.sqrt(-2 * Math.log(1 - u1));
            t.data[i] = (float) (std * r * Math.cos(2 * Math.PI * u2));
            if (i + 1 < t.data.length) t.data[i + 1] = (float) (std * r * Math.sin(2 * Math.PI * u2));
        }
        return t;
    }

    public Shape shape() { return shape; }

    public int[] dims() { return shape.dims(); }

    public int dim(int i) { return shape.dim(i); }

    public int rank() { return shape.rank(); }

    public int size() { return shape.size(); }

    /**
     * The backing array (shared, not copied): kernels read and write it directly. Code that writes
     * into a tensor's data after it has been used (an optimizer step, loading weights) must call
     * {@link #markModified()}, or kernels may keep using forms derived from the old values.
     */
    public float[] data() {
        float[] d = data;
        return d != null ? d : rowMajor();
    }

    /** Makes the row-major data from the channels-last form once, then drops that form. */
    private synchronized float[] rowMajor() {
        if (data == null) {
            data = dev.feint.tensor.kernels.Layouts.toNchw(channelsLast, shape.dim(0), shape.dim(1), shape.dim(2), shape.dim(3));
            channelsLast = null;
        }
        return data;
    }

    /** Says the data was changed in place: drops everything {@link #derived} cached from it. */
    public void markModified() {
        synchronized (this) {
            version++;
        }
    }

    /**
     * A form of this tensor's data (a layer's weights packed for the GEMM kernel) computed once
     * per {@link FrozenWeights} scope and kept until {@link #markModified()}; null outside a scope
     * (the caller computes it afresh). {@code compute} gets the tensor and this scope's stale value
     * of the same kind, if any, whose buffers it may refill: only this thread can be using them.
     */
    @SuppressWarnings("unchecked")
    public <T> T derived(Object kind, java.util.function.BiFunction<Tensor, T, T> compute) {
        FrozenWeights scope = FrozenWeights.current();
        if (scope == null) return null;
        int v = version;
        for (Derived d : derived) if (d.kind == kind && d.scope == scope && d.version == v) return (T) d.value;
        synchronized (this) {
            v = version;
            Derived[] cur = derived;
            int slot = cur.length;
            for (int i = 0; i < cur.length; i++)
                if (cur[i].kind == kind) {
                    slot = i;
                    if (cur[i].scope == scope && cur[i].version == v) return (T) cur[i].value;
                }
            T stale = slot < cur.length && cur[slot].scope == scope ? (T) cur[slot].value : null;
            T value = compute.apply(this, stale);
            Derived[] next = Arrays.copyOf(cur, Math.max(cur.length, slot + 1));
            next[slot] = new Derived(kind, scope, v, value);
            derived = next;
            return value;
        }
    }

    public float get(int... idx) {
        int[] st = shape.strides();
        int o = 0;
        for (int i = 0; i < idx.length; i++) o += idx[i] * st[i];
        return data()[o];
    }

    public float item() {
        if (shape.size() != 1) throw new IllegalStateException("item() needs a single element, shape is " + shape);
        return data()[0];
    }

    /** A detached copy (own data, no graph). */
    public Tensor copy() { return new Tensor(shape, data().clone()); }

    /** Same data, no graph: gradients will not flow through the result. */
    public Tensor detach() { return new Tensor(shape, data()); }

    // ---- autograd state -------------------------------------------------------------------

    /** Marks a leaf as needing a gradient. Returns this. */
    public Tensor requiresGrad(boolean on) {
        if (node != null) throw new IllegalStateException("requiresGrad can only be set on leaf tensors");
        this.leafRequiresGrad = on;
        return this;
    }

    /** True for leaves that asked for a gradient and for results of ops on such tensors. */
    public boolean requiresGrad() { return leafRequiresGrad || node != null; }

    public boolean isLeaf() { return node == null; }

    /** Accumulated gradient (same shape), or null if none was computed. */
    public float[] grad() { return grad; }

    public Tensor gradTensor() { return grad == null ? null : new Tensor(shape, grad); }

    public void zeroGrad() { grad = null; }

    /** The gradient buffer, allocated as zeros on first use. For backward rules. */
    public float[] gradBuffer() {
        if (grad == null) grad = new float[shape.size()];
        return grad;
    }

    public void setGrad(float[] g) { this.grad = g; }

    public Node node() { return node; }

    /** Attaches the node that created this tensor. For ops only. */
    public void setNode(Node n) { this.node = n; }

    /** Backpropagates from this scalar: fills {@link #grad()} of every leaf that requires one. */
    public void backward() { Backprop.run(this); }

    // ---- convenience forwards to the op families ---------------------------------------------

    public Tensor add(Tensor o) { return dev.feint.autograd.Elementwise.add(this, o); }

    public Tensor sub(Tensor o) { return dev.feint.autograd.Elementwise.sub(this, o); }

    public Tensor mul(Tensor o) { return dev.feint.autograd.Elementwise.mul(this, o); }

    public Tensor div(Tensor o) { return dev.feint.autograd.Elementwise.div(this, o); }

    public Tensor mul(float s) { return dev.feint.autograd.Elementwise.scale(this, s); }

    public Tensor matmul(Tensor o) { return dev.feint.autograd.LinearAlgebra.matmul(this, o); }

    public Tensor reshape(int... dims) { return dev.feint.autograd.Shapes.reshape(this, dims); }

    public Tensor sum() { return dev.feint.autograd.Reductions.sumAll(this); }

    public Tensor mean() { return dev.feint.autograd.Reductions.meanAll(this); }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(shape).append(' ');
        float[] d = data();
        int n = Math.min(d.length, 8);
        sb.append('[');
        for (int i = 0; i < n; i++) sb.append(i > 0 ? ", " : "").append(d[i]);
        if (d.length > n) sb.append(", ...");
        return sb.append(']').toString();
    }
}
