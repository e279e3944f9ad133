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
    /**
     * Gradient held channels-last [n][h][w][c] (what a channels-last op's backward accumulates),
     * beside or instead of the row-major {@link #grad}; the two are merged in the layout the
     * consumer asks for ({@link #gradIn}).
     */
    private float[] gradChannelsLast;
    /** A parameter's gradient array that {@link #recycleGrad} kept for {@link #gradBufferToOverwrite}, or null. */
    private float[] spareGrad;
    private boolean leafRequiresGrad;
    private Node node;
    /** Bumped by {@link #markModified()}: forms derived from the data are rebuilt when it moves. */
    private volatile int version;
    private volatile Derived[] derived = NO_DERIVED;

    private record Derived(Object kind, FrozenWeights scope, int version, Object value) {}

    private static final Derived[] NO_DERIVED = {};

    /**
     * A tensor over {@code data} (kept, not copied), row-major in {@code shape}.
     *
     * @param shape the dimensions
     * @param data the values, {@code shape.size()} of them
     * @throws IllegalArgumentException if the length does not match the shape
     */
    public Tensor(Shape shape, float[] data) {
        if (data.length != shape.size())
            throw new IllegalArgumentException("data length " + data.length + " does not match shape " + shape);
        this.shape = shape;
        this.data = data;
    }

    private Tensor(float[] nhwc, Shape nchw) {
        this.shape = nchw;
        this.channelsLast = nhwc;
        // One pixel or one channel per image: both layouts are the same order, so one array serves as
        // both (no copy of a classifier's last [n, c, 1, 1] map: 0.2 ms of MobileNet-V2's batch-64 forward).
        if (sameOrder(nchw)) this.data = nhwc;
    }

    /** Whether [n][c][h][w] and [n][h][w][c] order the elements of a rank-4 shape alike (h * w or c is 1). */
    private static boolean sameOrder(Shape s) { return s.dim(1) == 1 || s.dim(2) * s.dim(3) == 1; }

    /**
     * A rank-4 tensor of shape [n, c, h, w] whose values are given channels-last, nhwc[n][h][w][c]
     * (an inference kernel's output, read as it is by the next channels-last kernel); the
     * row-major {@link #data()} is made from it on first use.
     *
     * @param nchw the logical shape [n, c, h, w]
     * @param nhwc the values in channels-last order (kept, not copied)
     * @return the tensor
     * @throws IllegalArgumentException if the shape is not rank 4 or the length does not match
     */
    public static Tensor channelsLast(Shape nchw, float[] nhwc) {
        if (nchw.rank() != 4 || nhwc.length != nchw.size())
            throw new IllegalArgumentException("channels-last data needs a rank-4 shape of its length " + nhwc.length + ", got " + nchw);
        return new Tensor(nhwc, nchw);
    }

    /**
     * The channels-last values [n][h][w][c] of a tensor made by {@link #channelsLast}, or null
     * (row-major only, or already turned row-major by {@link #data()}: writes into that array
     * would not be seen here; where h * w or c is 1 the two forms are one array). Read-only.
     *
     * @return the channels-last array, or null
     */
    public float[] channelsLastData() { return channelsLast; }

    /**
     * A new tensor of zeros.
     *
     * @param dims the dimensions
     * @return the tensor
     */
    public static Tensor zeros(int... dims) {
        Shape s = Shape.of(dims);
        return new Tensor(s, new float[s.size()]);
    }

    /**
     * A new tensor of zeros.
     *
     * @param s the shape
     * @return the tensor
     */
    public static Tensor zeros(Shape s) { return new Tensor(s, new float[s.size()]); }

    /**
     * A new tensor with every element {@code v}.
     *
     * @param v the value
     * @param dims the dimensions
     * @return the tensor
     */
    public static Tensor full(float v, int... dims) {
        Tensor t = zeros(dims);
        Arrays.fill(t.data, v);
        return t;
    }

    /**
     * A tensor over {@code data} (kept, not copied).
     *
     * @param data the values, row-major
     * @param dims the dimensions, whose product is the length of {@code data}
     * @return the tensor
     */
    public static Tensor of(float[] data, int... dims) { return new Tensor(Shape.of(dims), data); }

    /**
     * A rank-0 tensor holding {@code v}.
     *
     * @param v the value
     * @return the scalar tensor
     */
    public static Tensor scalar(float v) { return new Tensor(Shape.of(), new float[] {v}); }

    /**
     * Uniform in [lo, hi) from a seeded generator.
     *
     * @param rng the generator (advanced)
     * @param lo the lower bound, inclusive
     * @param hi the upper bound, exclusive
     * @param dims the dimensions
     * @return the tensor
     */
    public static Tensor uniform(SplittableRandom rng, float lo, float hi, int... dims) {
        Tensor t = zeros(dims);
        for (int i = 0; i < t.data.length; i++) t.data[i] = lo + (hi - lo) * (float) rng.nextDouble();
        return t;
    }

    /**
     * Standard normal times std, from a seeded generator (Box-Muller, deterministic).
     *
     * @param rng the generator (advanced)
     * @param std the standard deviation
     * @param dims the dimensions
     * @return the tensor
     */
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

    /** {@return the shape} */
    public Shape shape() { return shape; }

    /** {@return the dimensions (a copy)} */
    public int[] dims() { return shape.dims(); }

    /**
     * One dimension.
     *
     * @param i the axis, 0-based
     * @return its size
     */
    public int dim(int i) { return shape.dim(i); }

    /** {@return the number of dimensions} */
    public int rank() { return shape.rank(); }

    /** {@return the number of elements} */
    public int size() { return shape.size(); }

    /**
     * The backing array (shared, not copied): kernels read and write it directly. Code that writes
     * into a tensor's data after it has been used (an optimizer step, loading weights) must call
     * {@link #markModified()}, or kernels may keep using forms derived from the old values.
     *
     * @return the row-major values
     */
    public float[] data() {
        float[] d = data;
        return d != null ? d : rowMajor();
    }

    /** Makes the row-major data from the channels-last form once, then drops that form. */
    private synchronized float[] rowMajor() {
        if (data == null) {
            // (Shapes of one pixel or one channel per image never get here: the constructor shares the array.)
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
     *
     * @param <T> the type of the derived form
     * @param kind identifies the form (compared by identity)
     * @param compute makes the form from the tensor and a stale value to reuse (or null)
     * @return the form, or null outside a {@link FrozenWeights} scope
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

    /**
     * One element, by its indices (for tests and small lookups; kernels read {@link #data()}).
     *
     * @param idx one index per axis
     * @return the element
     */
    public float get(int... idx) {
        int[] st = shape.strides();
        int o = 0;
        for (int i = 0; i < idx.length; i++) o += idx[i] * st[i];
        return data()[o];
    }

    /**
     * The single element of a one-element tensor (a loss).
     *
     * @return the element
     * @throws IllegalStateException if the tensor has more or fewer than one element
     */
    public float item() {
        if (shape.size() != 1) throw new IllegalStateException("item() needs a single element, shape is " + shape);
        return data()[0];
    }

    /** {@return a detached copy (own data, no graph)} */
    public Tensor copy() { return new Tensor(shape, data().clone()); }

    /** {@return the same data with no graph: gradients will not flow through the result} */
    public Tensor detach() { return new Tensor(shape, data()); }

    // ---- autograd state -------------------------------------------------------------------

    /**
     * Marks a leaf as needing a gradient.
     *
     * @param on whether {@link #backward()} should compute this tensor's gradient
     * @return this tensor
     * @throws IllegalStateException if this is not a leaf
     */
    public Tensor requiresGrad(boolean on) {
        if (node != null) throw new IllegalStateException("requiresGrad can only be set on leaf tensors");
        this.leafRequiresGrad = on;
        return this;
    }

    /** {@return true for leaves that asked for a gradient and for results of ops on such tensors} */
    public boolean requiresGrad() { return leafRequiresGrad || node != null; }

    /** {@return true if no op made this tensor (an input or a parameter)} */
    public boolean isLeaf() { return node == null; }

    /** {@return the accumulated gradient (same shape, row-major), or null if none was computed} */
    public float[] grad() { return gradIn(false); }

    /** {@return the gradient as a tensor sharing its array, or null if none was computed} */
    public Tensor gradTensor() {
        float[] g = grad();
        return g == null ? null : new Tensor(shape, g);
    }

    /** Drops the gradient, so the next backward pass starts from zero. */
    public void zeroGrad() {
        grad = null;
        gradChannelsLast = null;
    }

    /**
     * Drops the gradient as {@link #zeroGrad} does, keeping its array for the next backward pass
     * of a rule that writes a gradient outright ({@link #gradBufferToOverwrite}): a training loop's
     * parameters then skip allocating (and zeroing) a new array every step, as a linear layer's
     * weight gradient, 12.8 MB in madry-cnn, did. An array taken from {@link #grad()} before is
     * overwritten by that pass; {@link #zeroGrad} leaves it alone.
     */
    public void recycleGrad() {
        if (grad != null && gradChannelsLast == null && node == null) spareGrad = grad;
        grad = null;
        gradChannelsLast = null;
    }

    /** {@return whether no gradient has been added since the last {@link #zeroGrad} or {@link #recycleGrad}} */
    public boolean gradUnset() { return grad == null && gradChannelsLast == null; }

    /**
     * The row-major gradient buffer for a backward rule that writes its whole contribution outright
     * when {@link #gradUnset} (else add to {@link #gradBuffer} as usual): its contents are
     * undefined, the array {@link #recycleGrad} kept if any.
     *
     * @return the gradient buffer, to overwrite
     * @throws IllegalStateException if a gradient has been added already
     */
    public float[] gradBufferToOverwrite() {
        if (!gradUnset()) throw new IllegalStateException("the gradient holds values already: add to gradBuffer()");
        float[] spare = spareGrad;
        spareGrad = null;
        if (spare != null && spare.length == shape.size()) grad = spare;
        else grad = node != null ? Arena.floatsToOverwrite(shape.size()) : new float[shape.size()];
        return grad;
    }

    /** {@return the row-major gradient buffer, allocated as zeros on first use (for backward rules)} */
    public float[] gradBuffer() {
        // An intermediate's gradient lives no longer than the backward pass: from the open Arena, if any.
        if (grad == null) grad = node != null ? Arena.floats(shape.size()) : new float[shape.size()];
        return grad;
    }

    /**
     * The gradient buffer held channels-last, [n][h][w][c] of this rank-4 [n, c, h, w] tensor,
     * allocated as zeros on first use: a backward rule that works on channels-last data adds its
     * input's gradient here; what other rules add row-major ({@link #gradBuffer()}) is merged in
     * when the gradient is read ({@link #gradIn}).
     *
     * @return the channels-last gradient buffer
     * @throws IllegalStateException if the tensor is not rank 4
     */
    public float[] gradBufferChannelsLast() {
        if (shape.rank() != 4) throw new IllegalStateException("a channels-last gradient needs a rank-4 tensor, shape is " + shape);
        if (gradChannelsLast == null) gradChannelsLast = node != null ? Arena.floats(shape.size()) : new float[shape.size()];
        return gradChannelsLast;
    }

    /**
     * The whole gradient in one layout, channels-last ([n][h][w][c]) or row-major: the part held
     * in the other layout is added in and dropped. Null if no gradient was computed.
     *
     * @param channelsLast the layout wanted (true only for rank-4 tensors)
     * @return the gradient in that layout, or null
     */
    public float[] gradIn(boolean channelsLast) {
        float[] to = channelsLast ? gradChannelsLast : grad, from = channelsLast ? grad : gradChannelsLast;
        if (from == null) return to;
        if (to == null) to = channelsLast ? gradBufferChannelsLast() : gradBuffer();
        int n = shape.dim(0), c = shape.dim(1), h = shape.dim(2), w = shape.dim(3);
        if (sameOrder(shape)) for (int i = 0; i < to.length; i++) to[i] += from[i];
        else if (channelsLast) dev.feint.tensor.kernels.Layouts.addToNhwc(from, n, c, h, w, to);
        else dev.feint.tensor.kernels.Layouts.addToNchw(from, n, c, h, w, to);
        if (channelsLast) grad = null;
        else gradChannelsLast = null;
        return to;
    }

    /**
     * Replaces the gradient buffer: a caller's array the next backward pass accumulates into (an
     * input gradient written straight into the attack's buffer), or null to clear it.
     *
     * @param g the buffer, of this tensor's size, or null
     */
    public void setGrad(float[] g) {
        this.grad = g;
        this.gradChannelsLast = null;
    }

    /** {@return the node of the op that made this tensor, or null for a leaf} */
    public Node node() { return node; }

    /**
     * Attaches the node that created this tensor. For ops only.
     *
     * @param n the node
     */
    public void setNode(Node n) { this.node = n; }

    /** Backpropagates from this scalar: fills {@link #grad()} of every leaf that requires one. */
    public void backward() { Backprop.run(this); }

    // ---- convenience forwards to the op families ---------------------------------------------

    /**
     * Elementwise sum with broadcasting.
     *
     * @param o the other operand
     * @return this + o, recorded for backprop
     */
    public Tensor add(Tensor o) { return dev.feint.autograd.Elementwise.add(this, o); }

    /**
     * Elementwise difference with broadcasting.
     *
     * @param o the other operand
     * @return this - o, recorded for backprop
     */
    public Tensor sub(Tensor o) { return dev.feint.autograd.Elementwise.sub(this, o); }

    /**
     * Elementwise product with broadcasting.
     *
     * @param o the other operand
     * @return this * o, recorded for backprop
     */
    public Tensor mul(Tensor o) { return dev.feint.autograd.Elementwise.mul(this, o); }

    /**
     * Elementwise quotient with broadcasting.
     *
     * @param o the divisor
     * @return this / o, recorded for backprop
     */
    public Tensor div(Tensor o) { return dev.feint.autograd.Elementwise.div(this, o); }

    /**
     * Every element times a constant.
     *
     * @param s the factor
     * @return this * s, recorded for backprop
     */
    public Tensor mul(float s) { return dev.feint.autograd.Elementwise.scale(this, s); }

    /**
     * Matrix product of [m, k] by [k, n].
     *
     * @param o the right operand
     * @return the product [m, n], recorded for backprop
     */
    public Tensor matmul(Tensor o) { return dev.feint.autograd.LinearAlgebra.matmul(this, o); }

    /**
     * The same elements in another shape.
     *
     * @param dims the new dimensions, of the same product
     * @return the reshaped tensor, recorded for backprop
     */
    public Tensor reshape(int... dims) { return dev.feint.autograd.Shapes.reshape(this, dims); }

    /** {@return the sum of all elements, a scalar recorded for backprop} */
    public Tensor sum() { return dev.feint.autograd.Reductions.sumAll(this); }

    /** {@return the mean of all elements, a scalar recorded for backprop} */
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
