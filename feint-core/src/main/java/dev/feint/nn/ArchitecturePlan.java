package dev.feint.nn;

import dev.feint.FeintException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * What an {@link Architecture} is, worked out from its spec alone: each layer's output shape,
 * the parameter count, the floats a weights file must hold, the largest activation and the cost
 * of one forward pass, all by arithmetic (no tensor is allocated to learn a shape). This is the
 * one place that reads layer options; {@link Architecture#build} makes the modules it planned.
 *
 * <p>Limits, so that a small hostile spec can neither exhaust memory nor run for hours: every
 * activation of one image at most {@value #MAX_ACTIVATION} elements, at most
 * {@value #MAX_PARAMS} parameters, and at most {@link #maxFlops()} floating-point operations per
 * image for a forward pass (the CLI's {@code --max-gflops} raises it). Errors name the layer by
 * index and type.
 */
public final class ArchitecturePlan {
    /** Largest activation (elements for one image) any layer may produce: 64 MiB of floats. */
    public static final long MAX_ACTIVATION = 1L << 24;
    /** Most parameters a network may have (800 MB of floats). */
    public static final long MAX_PARAMS = 200_000_000L;
    /** Default cost limit of one image's forward pass: 20 GFLOP (ResNet-50 at 224x224 is about 8). */
    public static final long DEFAULT_MAX_FLOPS = 20_000_000_000L;
    static final int MAX_WIDTH = 1 << 16, MAX_KERNEL = 64;

    private static volatile long maxFlops = DEFAULT_MAX_FLOPS;

    private final List<Function<SplittableRandom, Module>> makers;
    private final int[] output;
    private final long params, storedFloats, flops, peakActivation;

    private ArchitecturePlan(List<Function<SplittableRandom, Module>> makers, int[] output, long params, long storedFloats,
                             long flops, long peakActivation) {
        this.makers = makers;
        this.output = output;
        this.params = params;
        this.storedFloats = storedFloats;
        this.flops = flops;
        this.peakActivation = peakActivation;
    }

    /** {@return the current per-image forward cost limit in floating-point operations} */
    public static long maxFlops() { return maxFlops; }

    /**
     * Raises or lowers the per-image forward cost limit (process-wide, like the thread count).
     *
     * @param limit the new limit, at least 1
     * @throws FeintException if the limit is below 1
     */
    public static void setMaxFlops(long limit) {
        if (limit < 1) throw new FeintException("maxFlops must be >= 1, got " + limit);
        maxFlops = limit;
    }

    /** {@return the number of parameters (trainable floats)} */
    public long parameters() { return params; }

    /** {@return the floats a weights file holds for this network: parameters plus BatchNorm running statistics} */
    public long storedFloats() { return storedFloats; }

    /** {@return the floating-point operations of one image's forward pass (a multiply-add counts two)} */
    public long flops() { return flops; }

    /** {@return the elements of the largest activation of one image, the input included} */
    public long peakActivation() { return peakActivation; }

    /** {@return the output shape of one image (always [classes] for a plan that was accepted)} */
    public int[] output() { return output.clone(); }

    List<Function<SplittableRandom, Module>> makers() { return makers; }

    /**
     * Plans {@code a}, or throws a {@link FeintException} naming the first layer that does not fit or a limit passed.
     *
     * @param a the architecture
     * @return its plan
     */
    public static ArchitecturePlan of(Architecture a) {
        String arch = "architecture '" + a.name() + "'";
        long[] shape = {a.input()[0], a.input()[1], a.input()[2]};
        long peak = checkActivation(arch + " input", shape);
        long params = 0, stored = 0, flops = 0;
        List<Function<SplittableRandom, Module>> makers = new ArrayList<>();
        List<LayerSpec> layers = a.layers();
        java.util.Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < layers.size(); i++) {
            LayerSpec l = layers.get(i);
            String where = arch + " layer " + i + " (" + l.type() + ")";
            Step s;
            try {
                name(l, names);
                s = step(l, shape);
            } catch (FeintException e) {
                throw FeintException.within(where + ": ", e);
            }
            peak = Math.max(peak, checkActivation(where + " output", s.shape));
            params += s.params;
            stored += s.params + s.buffers;
            if (params > MAX_PARAMS)
                throw new FeintException(where + ": the network reaches " + params + " parameters (expected at most " + MAX_PARAMS + ")");
            flops = s.flops > Long.MAX_VALUE - flops ? Long.MAX_VALUE : flops + s.flops;
            if (flops > maxFlops)
                throw new FeintException(where + ": one image's forward pass reaches " + flops + " FLOPs (expected at most "
                        + maxFlops + "; raise the limit with " + FeintException.parameter("maxFlops") + " if the model is really this large)");
            makers.add(s.make);
            shape = s.shape;
        }
        if (shape.length != 1 || shape[0] != a.numClasses())
            throw new FeintException(arch + ": output shape " + dims(shape) + " per image but expected [" + a.numClasses()
                    + "] (the classes)");
        return new ArchitecturePlan(List.copyOf(makers), new int[] {(int) shape[0]}, params, stored, flops, peak);
    }

    private record Step(long[] shape, long params, long buffers, long flops, Function<SplittableRandom, Module> make) {}

    private static Step step(LayerSpec l, long[] in) {
        long elements = product(in);
        return switch (l.type()) {
            case "conv2d" -> conv2d(l, in);
            case "linear" -> {
                allow(l, "in", "out");
                int fi = l.integer("in", null, 1, 1 << 24), fo = l.integer("out", null, 1, MAX_WIDTH * 16);
                features(elements, fi);
                yield new Step(new long[] {fo}, (long) fi * fo + fo, 0, sat(2L * fi, fo), rng -> new Linear(fi, fo, rng));
            }
            case "maxout" -> {
                allow(l, "in", "out", "pieces");
                int fi = l.integer("in", null, 1, 1 << 24), fo = l.integer("out", null, 1, MAX_WIDTH);
                int k = l.integer("pieces", null, 1, 64);
                features(elements, fi);
                yield new Step(new long[] {fo}, (fi + 1L) * fo * k, 0, sat(2L * fi, fo, k), rng -> new Maxout(fi, fo, k, rng));
            }
            case "relu", "tanh", "sigmoid" -> {
                allow(l);
                Activation.Kind kind = Activation.Kind.valueOf(l.type().toUpperCase(java.util.Locale.ROOT));
                yield new Step(in, 0, 0, elements, rng -> new Activation(kind));
            }
            case "leakyrelu" -> {
                allow(l, "slope");
                float slope = l.real("slope", 0.01f, 0f, 1f);
                yield new Step(in, 0, 0, elements, rng -> new Activation(Activation.Kind.LEAKY_RELU, slope));
            }
            case "maxpool", "avgpool" -> {
                allow(l, "kernel", "stride", "padding");
                int k = l.integer("kernel", null, 1, MAX_KERNEL), st = l.integer("stride", k, 1, MAX_KERNEL);
                int p = l.integer("padding", 0, 0, MAX_KERNEL);
                boolean max = l.type().equals("maxpool");
                spatial(in);
                if (2 * p > k) throw new FeintException("padding " + p + " is more than half the kernel " + k);
                long oh = (in[1] + 2L * p - k) / st + 1, ow = (in[2] + 2L * p - k) / st + 1;
                if (in[1] + 2L * p < k || in[2] + 2L * p < k)
                    throw new FeintException("window " + k + " is larger than the input " + dims(in));
                yield new Step(new long[] {in[0], oh, ow}, 0, 0, sat(in[0] * oh * ow, k, k), rng -> new Pool2d(max, k, st, p));
            }
            case "flatten" -> {
                allow(l);
                yield new Step(new long[] {elements}, 0, 0, 0, rng -> new Flatten());
            }
            case "dropout" -> {
                allow(l, "p");
                float p = l.real("p", 0.5f, 0f, 0.99f);
                yield new Step(in, 0, 0, elements, rng -> new Dropout(p, rng.split()));
            }
            case "batchnorm1d", "batchnorm2d" -> {
                allow(l, "channels");
                int c = l.integer("channels", null, 1, MAX_WIDTH);
                boolean sp = l.type().equals("batchnorm2d");
                if (sp) channels(in, c);
                else if (in.length != 1 || in[0] != c)
                    throw new FeintException("expects [" + c + "] features per image but gets " + dims(in));
                yield new Step(in, 2L * c, 2L * c, 2 * elements, rng -> new BatchNorm(c, sp));
            }
            case "residual", "preact" -> block(l, in, l.type().equals("preact"));
            default -> throw new FeintException("unknown layer type '" + l.type() + "' (expected one of conv2d, linear, "
                    + "maxout, relu, tanh, sigmoid, leakyrelu, maxpool, avgpool, flatten, dropout, batchnorm1d, batchnorm2d, residual, preact)");
        };
    }

    /** A residual block: post-activation ({@link ResidualBlock}) or pre-activation ({@link PreActBlock}). */
    private static Step block(LayerSpec l, long[] in, boolean preact) {
        allow(l, "in", "out", "stride");
        int ci = l.integer("in", null, 1, MAX_WIDTH), co = l.integer("out", null, 1, MAX_WIDTH);
        int st = l.integer("stride", 1, 1, 8);
        channels(in, ci);
        long oh = convOut(in[1], 3, st, 2, 1), ow = convOut(in[2], 3, st, 2, 1);
        boolean shortcut = st != 1 || ci != co;
        long weights = 9L * ci * co + 9L * co * co + (shortcut ? (long) ci * co : 0);
        // BatchNorm channels: pre-activation normalises the block's input and its middle; post-activation
        // the two convolutions' outputs and the shortcut's
        long bn = preact ? (long) ci + co : (shortcut ? 3L : 2L) * co;
        return new Step(new long[] {co, oh, ow}, weights + 2 * bn, 2 * bn, sat(2 * weights + 8L * co, oh, ow),
                preact ? rng -> new PreActBlock(ci, co, st, rng) : rng -> new ResidualBlock(ci, co, st, rng));
    }

    /**
     * A conv2d layer: "kernel", "stride", "padding" and "dilation" set both axes (every side), and
     * "kernel_h"/"kernel_w", "stride_h"/"stride_w", "pad_top"/"pad_left"/"pad_bottom"/"pad_right",
     * "dilation_h"/"dilation_w" override one; "groups" (default 1) must divide "in" and "out".
     */
    private static Step conv2d(LayerSpec l, long[] in) {
        allow(l, "in", "out", "kernel", "kernel_h", "kernel_w", "stride", "stride_h", "stride_w", "padding", "pad_top", "pad_left",
                "pad_bottom", "pad_right", "dilation", "dilation_h", "dilation_w", "groups", "bias");
        int ci = l.integer("in", null, 1, MAX_WIDTH), co = l.integer("out", null, 1, MAX_WIDTH);
        Integer k = l.options().containsKey("kernel") ? l.integer("kernel", null, 1, MAX_KERNEL) : null;
        int kh = l.integer("kernel_h", k, 1, MAX_KERNEL), kw = l.integer("kernel_w", k, 1, MAX_KERNEL);
        int s = l.integer("stride", 1, 1, MAX_KERNEL), p = l.integer("padding", 0, 0, MAX_KERNEL), d = l.integer("dilation", 1, 1, MAX_KERNEL);
        int groups = l.integer("groups", 1, 1, MAX_WIDTH);
        if (ci % groups != 0 || co % groups != 0)
            throw new FeintException("option 'groups' = " + groups + " must divide 'in' = " + ci + " and 'out' = " + co);
        var o = new dev.feint.autograd.ConvOptions(l.integer("stride_h", s, 1, MAX_KERNEL), l.integer("stride_w", s, 1, MAX_KERNEL),
                l.integer("pad_top", p, 0, MAX_KERNEL), l.integer("pad_left", p, 0, MAX_KERNEL),
                l.integer("pad_bottom", p, 0, MAX_KERNEL), l.integer("pad_right", p, 0, MAX_KERNEL),
                l.integer("dilation_h", d, 1, MAX_KERNEL), l.integer("dilation_w", d, 1, MAX_KERNEL), groups);
        boolean bias = l.flag("bias", true);
        channels(in, ci);
        long oh = convOut(in[1], kh, o.strideH(), o.padTop() + o.padBottom(), o.dilationH());
        long ow = convOut(in[2], kw, o.strideW(), o.padLeft() + o.padRight(), o.dilationW());
        long w = (long) co * (ci / groups) * kh * kw;
        return new Step(new long[] {co, oh, ow}, w + (bias ? co : 0), 0, sat(2 * w, oh, ow), rng -> new Conv2d(ci, co, kh, kw, o, bias, rng));
    }

    /**
     * A layer's optional "name" (its parameters' prefix, as a PyTorch attribute: letters, digits,
     * '_', dot-separated, e.g. "layer1.0"); unique, and never another layer's index.
     */
    private static void name(LayerSpec l, Set<String> seen) {
        Object v = l.options().get("name");
        if (v == null) return;
        if (!(v instanceof String n) || !n.matches("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z0-9_]+)*") || n.length() > 100)
            throw new FeintException("option 'name' must be a name like conv1 or layer1.0 (letters, digits, '_', dots), got " + v);
        if (!seen.add(n)) throw new FeintException("option 'name' = " + n + " is used by an earlier layer (expected unique names)");
    }

    private static void allow(LayerSpec l, String... keys) {
        Set<String> known = Set.of(keys);
        for (String k : l.options().keySet())
            if (!known.contains(k) && !k.equals("name"))
                throw new FeintException("unknown option '" + k + "' (expected " + (keys.length == 0 ? "none"
                        : "one of " + String.join(", ", keys)) + ")");
    }

    private static void channels(long[] in, int c) {
        spatial(in);
        if (in[0] != c) throw new FeintException("expects " + c + " input channels but gets " + dims(in));
    }

    private static void spatial(long[] in) {
        if (in.length != 3) throw new FeintException("expects [c, h, w] per image but gets " + dims(in) + " (after a flatten or linear?)");
    }

    private static void features(long elements, int in) {
        if (elements != in) throw new FeintException("expects " + in + " input features but gets " + elements);
    }

    /** Output size along one axis; {@code pads} is the padding of both sides together. */
    private static long convOut(long size, int k, int stride, int pads, int dil) {
        long span = (long) dil * (k - 1) + 1;
        if (size + pads < span)
            throw new FeintException("kernel " + k + " (dilation " + dil + ") spans " + span + " pixels, more than the padded input's "
                    + (size + pads));
        return (size + pads - span) / stride + 1;
    }

    private static long checkActivation(String what, long[] shape) {
        long n = product(shape);
        if (n > MAX_ACTIVATION)
            throw new FeintException(what + " " + dims(shape) + " has " + n + " elements per image (expected at most "
                    + MAX_ACTIVATION + ")");
        return n;
    }

    private static long product(long[] shape) {
        long n = 1;
        // Each factor is below 2^32 and the running product is checked against 2^24 by callers
        // after every layer, so three factors cannot overflow a long.
        for (long d : shape) n *= d;
        return n;
    }

    /** The product, or Long.MAX_VALUE past it (a cost past any limit needs no exact value). */
    private static long sat(long... factors) {
        long n = 1;
        for (long f : factors) {
            if (f < 0 || n < 0) return Long.MAX_VALUE;
            long hi = Math.multiplyHigh(n, f);
            if (hi != 0 || n * f < 0) return Long.MAX_VALUE;
            n *= f;
        }
        return n;
    }

    private static String dims(long[] shape) { return Arrays.toString(shape); }
}
