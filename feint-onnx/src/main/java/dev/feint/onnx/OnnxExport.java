package dev.feint.onnx;

import dev.feint.FeintException;
import dev.feint.autograd.ConvOptions;
import dev.feint.nn.Activation;
import dev.feint.nn.Architecture;
import dev.feint.nn.BatchNorm;
import dev.feint.nn.Conv2d;
import dev.feint.nn.Dropout;
import dev.feint.nn.Flatten;
import dev.feint.nn.Linear;
import dev.feint.nn.Maxout;
import dev.feint.nn.Module;
import dev.feint.nn.Network;
import dev.feint.nn.Pool2d;
import dev.feint.nn.PreActBlock;
import dev.feint.nn.ResidualBlock;
import dev.feint.nn.Sequential;
import dev.feint.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.feint.onnx.OnnxGraphWriter.integer;
import static dev.feint.onnx.OnnxGraphWriter.ints;
import static dev.feint.onnx.OnnxGraphWriter.real;

/**
 * ONNX export of a Feint network: every layer a preset or an {@code --arch} spec builds (conv2d
 * with strides, padding, dilation and groups; linear; maxout as Gemm, Reshape and ReduceMax; relu,
 * tanh, sigmoid, leakyrelu; max and average pooling; flatten; dropout, the identity at inference;
 * batchnorm1d/2d in its inference form, on the running statistics; the post-activation residual
 * block and the pre-activation block of preact-resnet18, with Add for the skip), and the input
 * normalisation as Sub and Mul nodes when it is not the identity. Initializers carry the
 * network's parameter names (its PyTorch {@code state_dict} keys). ModelProto IR 8, opset 13,
 * input "input" [N, C, H, W] with a symbolic batch dimension, output "logits" [N, classes]. An
 * AdvProp network exports its main BatchNorms (the auxiliary ones only serve adversarial
 * training batches). An imported graph is not a layer list and is refused with one message.
 *
 * <pre>{@code
 * Network net = NetworkFile.load(Path.of("model.safetensors")).network();
 * OnnxExport.write(net, Path.of("model.onnx"));   // ONNX Runtime and OnnxImport load it back
 * }</pre>
 */
public final class OnnxExport {
    private static final int OPSET = 13;
    private static final String SUPPORTED = "conv2d, linear, maxout, relu, tanh, sigmoid, leakyrelu, maxpool, avgpool, flatten, "
            + "dropout, batchnorm1d, batchnorm2d, residual, preact";

    private final OnnxGraphWriter g = new OnnxGraphWriter();
    private final String arch;

    private OnnxExport(String arch) { this.arch = arch; }

    /**
     * Writes the network as an ONNX model file.
     *
     * @param net the network, in its inference form
     * @param file the {@code .onnx} file to write
     * @throws IOException when the file cannot be written
     * @throws FeintException for a network ONNX export cannot express
     */
    public static void write(Network net, Path file) throws IOException {
        Files.write(file, toBytes(net));
    }

    /**
     * The network as a serialised ONNX ModelProto.
     *
     * @param net the network, in its inference form
     * @return the ONNX file's bytes
     * @throws FeintException for a network ONNX export cannot express (an imported graph, a layer of another kind)
     */
    public static byte[] toBytes(Network net) {
        Architecture a = net.architecture();
        if (a.isGraph() || !(net.body() instanceof Sequential body))
            throw new FeintException("ONNX export: '" + a.name() + "' is an imported graph, not a layer list (expected a preset or "
                    + "an --arch spec; an imported model is saved as ONNX by feint train --onnx)");
        OnnxExport e = new OnnxExport(a.name());
        String x = e.normalisation(net.mean(), net.std());
        Value v = e.sequence(body, "", new Value(x, 4));
        e.g.node("Identity", "output", List.of(v.name), "logits", List.of());
        return e.g.model("feint-" + a.name(), OPSET, a.input(), "logits", a.numClasses());
    }

    /** A value of the graph and its rank (4: [N, C, H, W], 2: [N, features]). */
    private record Value(String name, int rank) {}

    /** (x - mean) * (1 / std) per channel, or x itself when the normalisation is the identity. */
    private String normalisation(float[] mean, float[] std) {
        boolean identity = true;
        for (int i = 0; i < mean.length; i++) identity &= mean[i] == 0f && std[i] == 1f;
        if (identity) return "input";
        float[] inv = new float[std.length];
        for (int i = 0; i < std.length; i++) inv[i] = 1f / std[i];
        g.initializer("norm.mean", mean, 1, mean.length, 1, 1);
        g.initializer("norm.inv_std", inv, 1, inv.length, 1, 1);
        String cur = g.node("Sub", "norm.sub", List.of("input", "norm.mean"), List.of());
        return g.node("Mul", "norm.mul", List.of(cur, "norm.inv_std"), List.of());
    }

    /** The children of a Sequential in order, each named {@code prefix + its name}. */
    private Value sequence(Sequential s, String prefix, Value x) {
        for (var e : s.children().entrySet()) x = layer(e.getValue(), prefix + e.getKey(), x);
        return x;
    }

    /** One module at parameter prefix {@code p} (its state_dict name). */
    private Value layer(Module m, String p, Value x) {
        return switch (m) {
            case Conv2d c -> new Value(conv(c, p, x.name), 4);
            case Linear l -> new Value(g.node("Gemm", p + ".gemm", weights(l, p, flat(x, p).name), List.of(integer("transB", 1))), 2);
            case Maxout mo -> maxout(mo, p, flat(x, p));
            case Activation a -> new Value(activation(a, p, x.name), x.rank);
            case Pool2d pool -> new Value(pool(pool, p, x.name), 4);
            case Flatten _ -> flat(x, p);
            case Dropout _ -> x;                                   // the identity at inference
            case BatchNorm bn -> new Value(batchNorm(bn, p, x.name), x.rank);
            case ResidualBlock r -> residual(r, p, x);
            case PreActBlock b -> preact(b, p, x);
            case Sequential s -> sequence(s, p + ".", x);
            default -> throw new FeintException("ONNX export does not support layer '" + p + "' (" + m.getClass().getSimpleName()
                    + ") of '" + arch + "'; it exports " + SUPPORTED);
        };
    }

    private Value flat(Value x, String p) {
        return x.rank == 2 ? x : new Value(g.node("Flatten", p + ".flatten", List.of(x.name), List.of(integer("axis", 1))), 2);
    }

    /** x, then the module's weight and (when it has one) bias as initializers named p.weight, p.bias. */
    private List<String> weights(Module m, String p, String x) {
        List<String> in = new ArrayList<>(List.of(x));
        var params = m.namedParameters();
        for (String k : List.of("weight", "bias")) {
            Tensor t = params.get(k);
            if (t != null) in.add(g.initializer(p + "." + k, t.data(), t.dims()));
        }
        return in;
    }

    private String conv(Conv2d c, String p, String x) {
        ConvOptions o = c.options;
        return g.node("Conv", p + ".conv", weights(c, p, x), List.of(ints("kernel_shape", c.kernelH, c.kernelW),
                ints("strides", o.strideH(), o.strideW()), ints("pads", o.padTop(), o.padLeft(), o.padBottom(), o.padRight()),
                ints("dilations", o.dilationH(), o.dilationW()), integer("group", o.groups())));
    }

    /** Gemm to [N, out * pieces], Reshape to [N, out, pieces] (the pieces of a unit are adjacent rows), max over the pieces. */
    private Value maxout(Maxout m, String p, Value x) {
        String z = g.node("Gemm", p + ".gemm", weights(m, p, x.name), List.of(integer("transB", 1)));
        String shape = g.int64s(p + ".shape", 0, m.out, m.pieces);
        String r = g.node("Reshape", p + ".reshape", List.of(z, shape), List.of());
        return new Value(g.node("ReduceMax", p + ".max", List.of(r), List.of(ints("axes", 2), integer("keepdims", 0))), 2);
    }

    private String activation(Activation a, String p, String x) {
        return switch (a.kind) {
            case RELU -> relu(p, x);
            case TANH -> g.node("Tanh", p + ".tanh", List.of(x), List.of());
            case SIGMOID -> g.node("Sigmoid", p + ".sigmoid", List.of(x), List.of());
            case LEAKY_RELU -> g.node("LeakyRelu", p + ".leakyrelu", List.of(x), List.of(real("alpha", a.slope)));
        };
    }

    private String relu(String p, String x) { return g.node("Relu", p + ".relu", List.of(x), List.of()); }

    private String pool(Pool2d pool, String p, String x) {
        List<byte[]> attrs = new ArrayList<>(List.of(ints("kernel_shape", pool.kernel, pool.kernel), ints("strides", pool.stride, pool.stride),
                ints("pads", pool.padding, pool.padding, pool.padding, pool.padding)));
        if (!pool.max) attrs.add(integer("count_include_pad", 1));
        return g.node(pool.max ? "MaxPool" : "AveragePool", p + ".pool", List.of(x), attrs);
    }

    /** BatchNormalization in inference form: scale, bias, running mean and variance, named as the state_dict's. */
    private String batchNorm(BatchNorm bn, String p, String x) {
        var params = bn.namedParameters();
        Tensor w = params.get("weight"), b = params.get("bias");
        g.initializer(p + ".weight", w.data(), bn.channels);
        g.initializer(p + ".bias", b.data(), bn.channels);
        g.initializer(p + ".running_mean", bn.runningMean(), bn.channels);
        g.initializer(p + ".running_var", bn.runningVar(), bn.channels);
        return g.node("BatchNormalization", p + ".bn", List.of(x, p + ".weight", p + ".bias", p + ".running_mean", p + ".running_var"),
                List.of(real("epsilon", bn.eps)));
    }

    /** relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)). */
    private Value residual(ResidualBlock r, String p, Value x) {
        var c = r.children();
        Value h = layer(c.get("conv1"), p + ".conv1", x);
        h = new Value(relu(p + ".bn1", layer(c.get("bn1"), p + ".bn1", h).name), 4);
        h = layer(c.get("bn2"), p + ".bn2", layer(c.get("conv2"), p + ".conv2", h));
        Value s = c.containsKey("shortcut") ? layer(c.get("shortcut"), p + ".shortcut", x) : x;
        return new Value(relu(p, g.node("Add", p + ".add", List.of(h.name, s.name), List.of())), 4);
    }

    /** a = relu(bn1(x)); conv2(relu(bn2(conv1(a)))) + (shortcut(a) or x). */
    private Value preact(PreActBlock b, String p, Value x) {
        var c = b.children();
        Value a = new Value(relu(p + ".bn1", layer(c.get("bn1"), p + ".bn1", x).name), 4);
        Value s = c.containsKey("shortcut") ? layer(c.get("shortcut"), p + ".shortcut", a) : x;
        Value h = layer(c.get("bn2"), p + ".bn2", layer(c.get("conv1"), p + ".conv1", a));
        h = layer(c.get("conv2"), p + ".conv2", new Value(relu(p + ".bn2", h.name), 4));
        return new Value(g.node("Add", p + ".add", List.of(h.name, s.name), List.of()), 4);
    }
}
