package dev.feint.nn;

import dev.feint.FeintException;
import dev.feint.autograd.Grad;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A network description: input shape [c, h, w], classes, and a list of layers that builds a
 * {@link Sequential} whose parameter names match the equivalent PyTorch nn.Sequential.
 */
public record Architecture(String name, int[] input, int numClasses, List<LayerSpec> layers) {
    /** Hard caps so a hostile spec cannot exhaust memory. */
    static final int MAX_WIDTH = 1 << 16, MAX_KERNEL = 64;
    static final long MAX_PARAMS = 200_000_000L;

    public Architecture {
        input = input.clone();
        layers = List.copyOf(layers);
        if (input.length != 3 || input[0] < 1 || input[1] < 1 || input[2] < 1 || input[0] > 64 || input[1] > 4096 || input[2] > 4096)
            throw new FeintException("architecture '" + name + "': input must be [c,h,w] with sane sizes, got "
                    + java.util.Arrays.toString(input));
        if (numClasses < 2 || numClasses > 100_000)
            throw new FeintException("architecture '" + name + "': classes must be in [2, 100000], got " + numClasses);
        if (layers.isEmpty()) throw new FeintException("architecture '" + name + "': no layers");
    }

    /** Builds the network with seeded initial weights and checks that shapes flow to [n, classes]. */
    public Sequential build(long seed) {
        long params = estimateParams();
        if (params > MAX_PARAMS)
            throw new FeintException("architecture '" + name + "': " + params + " parameters exceeds the limit of " + MAX_PARAMS);
        SplittableRandom rng = new SplittableRandom(seed);
        List<Module> mods = new ArrayList<>();
        for (LayerSpec l : layers) mods.add(buildLayer(l, rng));
        Sequential net = new Sequential(mods);
        checkShapes(net);
        return net;
    }

    private void checkShapes(Sequential net) {
        net.eval();
        try (var ng = Grad.noGrad()) {
            Tensor out = net.forward(Tensor.zeros(1, input[0], input[1], input[2]));
            if (out.rank() != 2 || out.dim(1) != numClasses)
                throw new FeintException("architecture '" + name + "': output shape " + out.shape()
                        + " but expected [n, " + numClasses + "]");
        } catch (IllegalArgumentException e) {
            throw new FeintException("architecture '" + name + "': layers do not fit together: " + e.getMessage(), e);
        } finally {
            net.train();
        }
    }

    private long estimateParams() {
        long total = 0;
        for (LayerSpec l : layers) {
            Map<String, Object> o = l.options();
            long in = num(o.get("in")), out = num(o.get("out")), k = num(o.get("kernel"));
            switch (l.type()) {
                case "conv2d" -> total += in * out * num(o.getOrDefault("kernel_h", o.get("kernel"))) * num(o.getOrDefault("kernel_w", o.get("kernel")))
                        / Math.max(1, num(o.get("groups"))) + out;
                case "linear" -> total += in * out + out;
                case "maxout" -> total += (in + 1) * out * num(o.get("pieces"));
                case "residual" -> total += 9 * (in * out + out * out) + in * out + 6 * out;
                default -> { }
            }
        }
        return total;
    }

    private static long num(Object o) { return o instanceof Number n ? Math.max(0, n.longValue()) : 1; }

    /**
     * A conv2d layer: "kernel", "stride", "padding" and "dilation" set both axes (every side), and
     * "kernel_h"/"kernel_w", "stride_h"/"stride_w", "pad_top"/"pad_left"/"pad_bottom"/"pad_right",
     * "dilation_h"/"dilation_w" override one; "groups" (default 1) must divide "in" and "out".
     */
    private static Conv2d conv2d(LayerSpec l, SplittableRandom rng) {
        int in = l.integer("in", null, 1, MAX_WIDTH), out = l.integer("out", null, 1, MAX_WIDTH);
        Integer k = l.options().containsKey("kernel") ? l.integer("kernel", null, 1, MAX_KERNEL) : null;
        int kh = l.integer("kernel_h", k, 1, MAX_KERNEL), kw = l.integer("kernel_w", k, 1, MAX_KERNEL);
        int s = l.integer("stride", 1, 1, MAX_KERNEL), p = l.integer("padding", 0, 0, MAX_KERNEL), d = l.integer("dilation", 1, 1, MAX_KERNEL);
        int groups = l.integer("groups", 1, 1, MAX_WIDTH);
        if (in % groups != 0 || out % groups != 0)
            throw new FeintException("layer 'conv2d': option 'groups' = " + groups + " must divide 'in' = " + in + " and 'out' = " + out);
        var options = new dev.feint.autograd.ConvOptions(l.integer("stride_h", s, 1, MAX_KERNEL), l.integer("stride_w", s, 1, MAX_KERNEL),
                l.integer("pad_top", p, 0, MAX_KERNEL), l.integer("pad_left", p, 0, MAX_KERNEL),
                l.integer("pad_bottom", p, 0, MAX_KERNEL), l.integer("pad_right", p, 0, MAX_KERNEL),
                l.integer("dilation_h", d, 1, MAX_KERNEL), l.integer("dilation_w", d, 1, MAX_KERNEL), groups);
        return new Conv2d(in, out, kh, kw, options, l.flag("bias", true), rng);
    }

    private static Module buildLayer(LayerSpec l, SplittableRandom rng) {
        return switch (l.type()) {
            case "conv2d" -> conv2d(l, rng);
            case "linear" -> new Linear(l.integer("in", null, 1, 1 << 24), l.integer("out", null, 1, MAX_WIDTH * 16), rng);
            case "maxout" -> new Maxout(l.integer("in", null, 1, 1 << 24), l.integer("out", null, 1, MAX_WIDTH),
                    l.integer("pieces", null, 1, 64), rng);
            case "relu" -> new Activation(Activation.Kind.RELU);
            case "tanh" -> new Activation(Activation.Kind.TANH);
            case "sigmoid" -> new Activation(Activation.Kind.SIGMOID);
            case "leakyrelu" -> new Activation(Activation.Kind.LEAKY_RELU, l.real("slope", 0.01f, 0f, 1f));
            case "maxpool", "avgpool" -> {
                int k = l.integer("kernel", null, 1, MAX_KERNEL);
                yield new Pool2d(l.type().equals("maxpool"), k, l.integer("stride", k, 1, MAX_KERNEL), l.integer("padding", 0, 0, MAX_KERNEL));
            }
            case "flatten" -> new Flatten();
            case "dropout" -> new Dropout(l.real("p", 0.5f, 0f, 0.99f), rng.split());
            case "batchnorm1d" -> new BatchNorm(l.integer("channels", null, 1, MAX_WIDTH), false);
            case "batchnorm2d" -> new BatchNorm(l.integer("channels", null, 1, MAX_WIDTH), true);
            case "residual" -> new ResidualBlock(l.integer("in", null, 1, MAX_WIDTH), l.integer("out", null, 1, MAX_WIDTH),
                    l.integer("stride", 1, 1, 8), rng);
            default -> throw new FeintException("unknown layer type '" + l.type() + "' (expected one of conv2d, linear, "
                    + "maxout, relu, tanh, sigmoid, leakyrelu, maxpool, avgpool, flatten, dropout, batchnorm1d, batchnorm2d, residual)");
        };
    }

    /** JSON-ready form: {"name", "input", "classes", "layers": [...]}. */
    public Map<String, Object> toMap() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        List<Object> in = new ArrayList<>();
        for (int d : input) in.add((long) d);
        m.put("input", in);
        m.put("classes", (long) numClasses);
        List<Object> ls = new ArrayList<>();
        for (LayerSpec l : layers) ls.add(l.toMap());
        m.put("layers", ls);
        return m;
    }

    /** Parses the form written by {@link #toMap()}, with clear errors. */
    @SuppressWarnings("unchecked")
    public static Architecture fromMap(Object parsed, String where) {
        if (!(parsed instanceof Map<?, ?> m))
            throw new FeintException(where + ": architecture must be a JSON object with name, input, classes, layers");
        Object name = m.get("name"), input = m.get("input"), classes = m.get("classes"), layers = m.get("layers");
        if (!(input instanceof List<?> il) || il.size() != 3)
            throw new FeintException(where + ": architecture 'input' must be [c, h, w], got " + input);
        int[] in = new int[3];
        for (int i = 0; i < 3; i++) {
            if (!(il.get(i) instanceof Number n)) throw new FeintException(where + ": architecture 'input' must hold integers, got " + input);
            in[i] = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, n.longValue()));
        }
        if (!(classes instanceof Number cn)) throw new FeintException(where + ": architecture 'classes' must be an integer, got " + classes);
        if (!(layers instanceof List<?> ll)) throw new FeintException(where + ": architecture 'layers' must be a list");
        if (ll.size() > 10_000) throw new FeintException(where + ": architecture has " + ll.size() + " layers (limit 10000)");
        List<LayerSpec> specs = new ArrayList<>();
        for (Object o : ll) {
            if (!(o instanceof Map<?, ?> lm) || !(lm.get("type") instanceof String t))
                throw new FeintException(where + ": each layer must be an object with a string 'type', got " + o);
            LinkedHashMap<String, Object> opts = new LinkedHashMap<>((Map<String, Object>) lm);
            opts.remove("type");
            specs.add(new LayerSpec(t, opts));
        }
        return new Architecture(name instanceof String s ? s : "custom", in,
                (int) Math.max(-1, Math.min(Integer.MAX_VALUE, cn.longValue())), specs);
    }
}
