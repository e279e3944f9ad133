package dev.feint.autograd;

import dev.feint.tensor.Arena;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;
import dev.feint.tensor.kernels.ChannelsLastForward;
import dev.feint.tensor.kernels.ChannelsLastInputGradient;
import dev.feint.tensor.kernels.ClampMask;
import dev.feint.tensor.kernels.Conv2dKernels;
import dev.feint.tensor.kernels.ConvGeometry;
import dev.feint.tensor.kernels.ConvReluPool;
import dev.feint.tensor.kernels.PreparedConv;

/**
 * 2-D convolution over NCHW input with weights [out, in / groups, kh, kw] (as PyTorch's Conv2d and
 * ONNX's Conv), differentiable with respect to the input, the weights and the bias.
 */
public final class Convolutions {
    private Convolutions() {}

    private static volatile boolean recordChannelsLast = !"false".equals(System.getProperty("feint.channelsLastGradient"));
    private static final ThreadLocal<int[]> CHANNELS_LAST_SCOPES = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * A scope (for try-with-resources) in which a recorded convolution whose weights need no
     * gradient (an attack's or an evaluation's pass: input gradients only) keeps its output
     * channels-last, [n][h][w][c], with the gradient coming back in the same layout; the pooling,
     * ReLU / clip and residual-add ops that follow keep it so too, and no transpose runs between
     * them. For graphs made of those ops (an imported ResNet or MobileNet: feint-onnx opens it); an
     * op without a channels-last form in between reads a row-major copy. Same values and gradients
     * up to rounding, on the bounds too: a clip passes the gradient where {@code lo <= x <= hi}
     * (as {@link Unary#clamp} and torch.clamp), a ReLU where {@code x > 0} (as {@link Unary#relu}).
     *
     * @return the scope, on this thread
     */
    public static Grad.Scope channelsLastRecording() {
        CHANNELS_LAST_SCOPES.get()[0]++;
        return () -> CHANNELS_LAST_SCOPES.get()[0]--;
    }

    /**
     * Whether {@link #channelsLastRecording} scopes take effect (the default;
     * {@code -Dfeint.channelsLastGradient=false} for the row-major path everywhere, for comparisons).
     *
     * @param on true to enable
     */
    public static void setChannelsLastRecording(boolean on) { recordChannelsLast = on; }

    /**
     * conv2d with the same stride, padding and dilation on both axes, one group.
     *
     * @param x the input [n, c, h, w]
     * @param w the weights [o, c / groups, kh, kw]
     * @param bias the bias [o], or null
     * @param stride the stride
     * @param padding zero padding on every side
     * @param dilation the dilation
     * @return the output [n, o, oh, ow], recorded for backprop
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation) {
        return conv2d(x, w, bias, ConvOptions.of(stride, padding, dilation));
    }

    /**
     * y[n, oc] = bias[oc] + sum over the group's input channels and the taps of x * w, for x
     * [n, c, h, w], w [o, c / groups, kh, kw] and bias [o] (nullable).
     *
     * @param x the input [n, c, h, w]
     * @param w the weights [o, c / groups, kh, kw]
     * @param bias the bias [o], or null
     * @param options strides, padding, dilations and groups
     * @return the output [n, o, oh, ow], recorded for backprop
     */
    public static Tensor conv2d(Tensor x, Tensor w, Tensor bias, ConvOptions options) {
        ConvGeometry g = geometry(x, w, bias, options);
        if (inference(g, x, w, bias)) return channelsLast(g, x, w, bias, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        if (recordedChannelsLast(g, x, w, bias))
            return recorded(g, x, w, bias, recordedForward(g, x, w, bias, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY), go -> {});
        float[] o = Arena.floats(g.n() * g.o() * g.outH() * g.outW());
        Conv2dKernels.forward(g, x.data(), w.data(), bias == null ? null : bias.data(), o, prepared(w, g));
        Tensor[] ins = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        return Grad.record(new Tensor(Shape.of(g.n(), g.o(), g.outH(), g.outW()), o), new Node(ins) {
            @Override protected void backward(Tensor t, float[] go) {
                if (needs(x)) Conv2dKernels.backwardInput(g, go, w.data(), x.gradBuffer(), preparedInputGradient(w, g));
                weightGrads(w, bias, (gw, gb) -> Conv2dKernels.backwardWeight(g, x.data(), go, gw, gb));
            }
        }, ins);
    }

    /**
     * maxPool(relu(conv2d(x, w, bias)), pool, stride pool) in one fused pass; pool 1 is conv + ReLU.
     * Same values and gradients as the three ops in sequence, without their full-size intermediates.
     *
     * @param x the input [n, c, h, w]
     * @param w the weights [o, c, kh, kw]
     * @param bias the bias [o], or null
     * @param stride the convolution's stride
     * @param padding the convolution's zero padding on every side
     * @param dilation the convolution's dilation
     * @param pool the side (and stride) of the max-pooling window; 1 for none
     * @return the pooled output, recorded for backprop
     */
    public static Tensor conv2dReluPool(Tensor x, Tensor w, Tensor bias, int stride, int padding, int dilation, int pool) {
        return conv2dReluPool(x, w, bias, ConvOptions.of(stride, padding, dilation), pool);
    }

    /**
     * As {@link #conv2dReluPool(Tensor, Tensor, Tensor, int, int, int, int)} for any options; a
     * grouped convolution runs as the three ops in sequence (the fused kernel is for one group).
     *
     * @param x the input [n, c, h, w]
     * @param w the weights [o, c / groups, kh, kw]
     * @param bias the bias [o], or null
     * @param options the convolution's strides, padding, dilations and groups
     * @param pool the side (and stride) of the max-pooling window; 1 for none
     * @return the pooled output, recorded for backprop
     */
    public static Tensor conv2dReluPool(Tensor x, Tensor w, Tensor bias, ConvOptions options, int pool) {
        if (pool == 1) {
            ConvGeometry g = geometry(x, w, bias, options);
            if (inference(g, x, w, bias)) return channelsLast(g, x, w, bias, 0f, Float.POSITIVE_INFINITY);
            if (recordedChannelsLast(g, x, w, bias)) return recordedRelu(g, x, w, bias);
        }
        if (options.groups() > 1) {
            Tensor y = Unary.relu(conv2d(x, w, bias, options));
            return pool == 1 ? y : Pooling.maxPool2d(y, PoolOptions.of(pool, pool, 0));
        }
        ConvGeometry g = geometry(x, w, bias, options);
        int ph = ConvReluPool.pooled(g.outH(), pool), pw = ConvReluPool.pooled(g.outW(), pool);
        Tensor[] ins = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        boolean grad = Grad.recording(ins);
        float[] o = Arena.floatsToOverwrite(g.n() * g.o() * ph * pw);     // the kernel writes every element of both
        int[] arg = grad && pool > 1 ? Arena.intsToOverwrite(o.length) : null;
        ConvReluPool.forward(g, x.data(), w.data(), bias == null ? null : bias.data(), pool, o, arg, prepared(w, g));
        return Grad.record(new Tensor(Shape.of(g.n(), g.o(), ph, pw), o), new Node(ins) {
            @Override protected void backward(Tensor t, float[] go) {
                if (needs(x) && Conv2dKernels.sharesChannelsLastGradient(g)) {
                    // One channels-last expansion read by both gradients (the per-image one ran twice, each then transposed).
                    float[] gzl = Arena.floatsToOverwrite(g.n() * g.o() * g.outH() * g.outW());
                    ConvReluPool.outputGradChannelsLast(g, o, arg, go, gzl);
                    ChannelsLastInputGradient.backwardInput(g, gzl, w.data(), x.gradBuffer(), false, preparedInputGradient(w, g));
                    weightGrads(w, bias, (gw, gb) -> Conv2dKernels.backwardWeightChannelsLast(g, x.data(), gzl, gw, gb));
                    return;
                }
                Conv2dKernels.OutputGrad gz = ConvReluPool.outputGrad(g, o, arg, go);
                if (needs(x)) Conv2dKernels.backwardInput(g, gz, w.data(), x.gradBuffer(), preparedInputGradient(w, g));
                weightGrads(w, bias, (gw, gb) -> Conv2dKernels.backwardWeight(g, x.data(), gz, gw, gb));
            }
        }, ins);
    }

    /**
     * clamp(conv2d(x, w, bias), lo, hi) in one op (ReLU6 is lo 0, hi 6; MobileNet's Conv + Clip):
     * the clamp runs on the convolution's own output array, and the backward pass lets the
     * gradient through where the unclamped value was inside [lo, hi], as {@link Unary#clamp} does.
     *
     * @param x the input [n, c, h, w]
     * @param w the weights [o, c / groups, kh, kw]
     * @param bias the bias [o], or null
     * @param options strides, padding, dilations and groups
     * @param lo the lower clamp bound
     * @param hi the upper clamp bound
     * @return the clamped output, recorded for backprop
     */
    public static Tensor conv2dClip(Tensor x, Tensor w, Tensor bias, ConvOptions options, float lo, float hi) {
        if (!(lo <= hi)) throw new IllegalArgumentException("clamp needs lo <= hi, got " + lo + " > " + hi);
        ConvGeometry g = geometry(x, w, bias, options);
        if (inference(g, x, w, bias)) return channelsLast(g, x, w, bias, lo, hi);
        if (recordedChannelsLast(g, x, w, bias)) return recordedClip(g, x, w, bias, lo, hi);
        float[] o = Arena.floats(g.n() * g.o() * g.outH() * g.outW());
        Conv2dKernels.forward(g, x.data(), w.data(), bias == null ? null : bias.data(), o, prepared(w, g));
        Tensor[] ins = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        boolean[] inside = Grad.recording(ins) ? new boolean[o.length] : null;
        ClampMask.clamp(o, lo, hi, inside);
        return Grad.record(new Tensor(Shape.of(g.n(), g.o(), g.outH(), g.outW()), o), new Node(ins) {
            @Override protected void backward(Tensor t, float[] go) {
                float[] gz = ClampMask.masked(go, inside);
                if (needs(x)) Conv2dKernels.backwardInput(g, gz, w.data(), x.gradBuffer(), preparedInputGradient(w, g));
                weightGrads(w, bias, (gw, gb) -> Conv2dKernels.backwardWeight(g, x.data(), gz, gw, gb));
            }
        }, ins);
    }

    /**
     * Whether this call runs as inference (no gradient recorded) on a kernel that writes
     * channels-last activations ({@link ChannelsLastForward}): the next convolution reads them
     * without a transpose, and anything else gets them row-major from {@link Tensor#data()}.
     */
    private static boolean inference(ConvGeometry g, Tensor x, Tensor w, Tensor bias) {
        return !Grad.recording(x, w, bias) && ChannelsLastForward.applies(g);
    }

    /** clamp(conv2d(x, w, bias), lo, hi) as a channels-last tensor, from x in whichever layout it has. */
    private static Tensor channelsLast(ConvGeometry g, Tensor x, Tensor w, Tensor bias, float lo, float hi) {
        float[] xl = x.channelsLastData();
        float[] out = Arena.floatsToOverwrite(g.n() * g.o() * g.outH() * g.outW());   // the kernel writes every element
        ChannelsLastForward.forward(g, xl != null ? xl : x.data(), xl != null, w.data(), bias == null ? null : bias.data(), lo, hi, out,
                prepared(w, g));
        return Tensor.channelsLast(Shape.of(g.n(), g.o(), g.outH(), g.outW()), out);
    }

    /** Whether this call is recorded with only x needing a gradient, on a kernel that writes channels-last, in a {@link #channelsLastRecording} scope. */
    private static boolean recordedChannelsLast(ConvGeometry g, Tensor x, Tensor w, Tensor bias) {
        return recordChannelsLast && CHANNELS_LAST_SCOPES.get()[0] > 0 && Grad.recording(x) && !w.requiresGrad() && (bias == null || !bias.requiresGrad())
                && ChannelsLastForward.applies(g);
    }

    /** relu(conv2d(x, w, bias)) recorded channels-last; the gradient passes where the output is positive (x > 0, as {@link Unary#relu}). */
    private static Tensor recordedRelu(ConvGeometry g, Tensor x, Tensor w, Tensor bias) {
        float[] out = recordedForward(g, x, w, bias, 0f, Float.POSITIVE_INFINITY);
        return recorded(g, x, w, bias, out, go -> ClampMask.maskByOutput(go, out, 0f, Float.POSITIVE_INFINITY));
    }

    /**
     * clamp(conv2d(x, w, bias), lo, hi) recorded channels-last; the gradient passes where
     * {@code lo <= z <= hi} for the unclamped z, on the bounds too (as {@link Unary#clamp} and
     * torch.clamp). The clamped output cannot tell a value on a bound from one clamped onto it, so
     * z is kept for the backward pass and the output is its clamped copy (the kernel's own clamp,
     * bit for bit). {@code lo <= z <= hi} is {@code nextDown(lo) < z < nextUp(hi)}, NaN outside.
     */
    private static Tensor recordedClip(ConvGeometry g, Tensor x, Tensor w, Tensor bias, float lo, float hi) {
        float[] z = recordedForward(g, x, w, bias, Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        float[] out = Arena.floatsToOverwrite(z.length);
        System.arraycopy(z, 0, out, 0, z.length);
        ClampMask.clamp(out, lo, hi, null);
        float below = Math.nextDown(lo), above = Math.nextUp(hi);
        return recorded(g, x, w, bias, out, go -> ClampMask.maskByOutput(go, z, below, above));
    }

    /** clamp(conv2d(x, w, bias), lo, hi) as a new channels-last array, from x in whichever layout it has. */
    private static float[] recordedForward(ConvGeometry g, Tensor x, Tensor w, Tensor bias, float lo, float hi) {
        float[] xl = x.channelsLastData();
        float[] out = Arena.floatsToOverwrite(g.n() * g.o() * g.outH() * g.outW());   // the kernel writes every element
        ChannelsLastForward.forward(g, xl != null ? xl : x.data(), xl != null, w.data(), bias == null ? null : bias.data(), lo, hi, out, prepared(w, g), false);
        return out;
    }

    /**
     * out recorded as a channels-last tensor, its gradient taken channels-last: the output
     * gradient masked in place by the activation's rule (it is this output's own), then the input
     * gradient in x's layout.
     */
    private static Tensor recorded(ConvGeometry g, Tensor x, Tensor w, Tensor bias, float[] out, java.util.function.Consumer<float[]> mask) {
        boolean xcl = x.channelsLastData() != null;
        Tensor[] ins = bias == null ? new Tensor[] {x, w} : new Tensor[] {x, w, bias};
        return Grad.record(Tensor.channelsLast(Shape.of(g.n(), g.o(), g.outH(), g.outW()), out), new Node(ins) {
            @Override protected boolean channelsLastGradient() { return true; }

            @Override protected void backward(Tensor t, float[] go) {
                mask.accept(go);
                // A depthwise convolution's input gradient reuses its forward's packed taps.
                PreparedConv p = g.groups() > 1 ? prepared(w, g) : preparedInputGradient(w, g);
                ChannelsLastInputGradient.backwardInput(g, go, w.data(), xcl ? x.gradBufferChannelsLast() : x.gradBuffer(), xcl, p);
            }
        }, ins);
    }

    /** The kinds of {@link Tensor#derived} values a conv weight keeps inside a FrozenWeights scope. */
    private static final Object PREPARED_FORWARD = new Object(), PREPARED_INPUT_GRADIENT = new Object();

    /**
     * w prepared for g's forward pass, kept per FrozenWeights scope; null outside one. The kernels
     * use it only where it {@link PreparedConv#fits} (another input size gets a fresh preparation).
     */
    private static PreparedConv prepared(Tensor w, ConvGeometry g) {
        return w.derived(PREPARED_FORWARD, (t, stale) -> PreparedConv.forward(g, t.data()));
    }

    private static PreparedConv preparedInputGradient(Tensor w, ConvGeometry g) {
        return w.derived(PREPARED_INPUT_GRADIENT, (t, stale) -> PreparedConv.inputGradient(g, t.data()));
    }

    /** Runs the weight-gradient kernel when w or bias needs a gradient (into a scratch array for w if only bias does). */
    private static void weightGrads(Tensor w, Tensor bias, java.util.function.BiConsumer<float[], float[]> kernel) {
        boolean nb = bias != null && Node.needs(bias);
        if (Node.needs(w) || nb) kernel.accept(Node.needs(w) ? w.gradBuffer() : new float[w.size()], nb ? bias.gradBuffer() : null);
    }

    private static ConvGeometry geometry(Tensor x, Tensor w, Tensor bias, ConvOptions p) {
        int groups = p.groups();
        if (x.rank() != 4 || w.rank() != 4 || (long) w.dim(1) * groups != x.dim(1) || w.dim(0) % groups != 0)
            throw new IllegalArgumentException("conv2d with " + groups + " group(s) needs x [n, c, h, w] and weight [o, c / "
                    + groups + ", kh, kw] with o a multiple of " + groups + ", got x " + x.shape() + " and weight " + w.shape());
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != w.dim(0)))
            throw new IllegalArgumentException("conv2d bias must be [" + w.dim(0) + "], got " + bias.shape());
        return new ConvGeometry(x.dim(0), x.dim(1), x.dim(2), x.dim(3), w.dim(0), w.dim(2), w.dim(3), p.strideH(), p.strideW(),
                p.padTop(), p.padLeft(), p.padBottom(), p.padRight(), p.dilationH(), p.dilationW(), groups);
    }
}
