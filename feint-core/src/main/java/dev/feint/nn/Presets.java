package dev.feint.nn;

import dev.feint.FeintException;

import java.util.List;

import static dev.feint.nn.LayerSpec.of;

/** The named architectures (see docs/ARCHITECTURES.md for their PyTorch equivalents). */
public final class Presets {
    /** The presets' names (preact-resnet18-wN, a narrower PreAct-ResNet-18, is known too). */
    public static final List<String> NAMES = List.of("softmax-regression", "mlp", "lenet", "madry-cnn", "maxout", "cnn-bn", "resnet-mini", "preact-resnet18");

    private static final java.util.regex.Pattern NARROW = java.util.regex.Pattern.compile("preact-resnet18-w([1-9][0-9]?)");

    private Presets() {}

    /**
     * True for a name {@link #get} knows: one of {@link #NAMES}, or preact-resnet18-wN (N in 1..99).
     *
     * @param name the preset's name
     * @return whether it is known
     */
    public static boolean has(String name) { return NAMES.contains(name) || NARROW.matcher(name).matches(); }

    /**
     * A preset for inputs [c, h, w] (28x28 for the MNIST family) and the given class count.
     *
     * @param name the preset's name
     * @param c input channels
     * @param h input height
     * @param w input width
     * @param classes the number of classes
     * @return the architecture
     * @throws FeintException if the name is not a preset
     */
    public static Architecture get(String name, int c, int h, int w, int classes) {
        var narrow = NARROW.matcher(name);
        if (narrow.matches()) return preActResNet18(c, h, w, classes, Integer.parseInt(narrow.group(1)));
        int flat = c * h * w;
        List<LayerSpec> l = switch (name) {
            case "softmax-regression" -> List.of(of("flatten"), of("linear", "in", flat, "out", classes)); // linear in x: the linear explanation is exact
            case "mlp" -> List.of(of("flatten"), of("linear", "in", flat, "out", 256), of("relu"),
                    of("linear", "in", 256, "out", 256), of("relu"), of("linear", "in", 256, "out", classes));
            case "lenet" -> List.of(of("conv2d", "in", c, "out", 6, "kernel", 5, "padding", 2), of("relu"), of("maxpool", "kernel", 2),
                    of("conv2d", "in", 6, "out", 16, "kernel", 5), of("relu"), of("maxpool", "kernel", 2), of("flatten"),
                    of("linear", "in", 16 * ((h / 2 - 4) / 2) * ((w / 2 - 4) / 2), "out", 120), of("relu"),
                    of("linear", "in", 120, "out", 84), of("relu"), of("linear", "in", 84, "out", classes));
            case "madry-cnn" -> List.of(of("conv2d", "in", c, "out", 32, "kernel", 5, "padding", 2), of("relu"), of("maxpool", "kernel", 2),
                    of("conv2d", "in", 32, "out", 64, "kernel", 5, "padding", 2), of("relu"), of("maxpool", "kernel", 2), of("flatten"),
                    of("linear", "in", 64 * (h / 4) * (w / 4), "out", 1024), of("relu"), of("linear", "in", 1024, "out", classes));
            case "maxout" -> List.of(of("flatten"), of("dropout", "p", 0.2), of("maxout", "in", flat, "out", 240, "pieces", 5),
                    of("dropout", "p", 0.5), of("maxout", "in", 240, "out", 240, "pieces", 5), of("dropout", "p", 0.5),
                    of("linear", "in", 240, "out", classes));
            case "cnn-bn" -> List.of(of("conv2d", "in", c, "out", 32, "kernel", 3, "padding", 1, "bias", false), of("batchnorm2d", "channels", 32),
                    of("relu"), of("maxpool", "kernel", 2),
                    of("conv2d", "in", 32, "out", 64, "kernel", 3, "padding", 1, "bias", false), of("batchnorm2d", "channels", 64),
                    of("relu"), of("maxpool", "kernel", 2), of("flatten"),
                    of("linear", "in", 64 * (h / 4) * (w / 4), "out", 128), of("batchnorm1d", "channels", 128), of("relu"),
                    of("linear", "in", 128, "out", classes));
            case "resnet-mini" -> List.of(of("conv2d", "in", c, "out", 16, "kernel", 3, "padding", 1, "bias", false),
                    of("batchnorm2d", "channels", 16), of("relu"),
                    of("residual", "in", 16, "out", 16, "stride", 1), of("residual", "in", 16, "out", 32, "stride", 2),
                    of("residual", "in", 32, "out", 64, "stride", 2), of("avgpool", "kernel", (h + 3) / 4), of("flatten"),
                    of("linear", "in", 64, "out", classes));
            case "preact-resnet18" -> preActResNet18(c, h, w, classes, 64).layers();
            default -> throw new FeintException("unknown architecture '" + name + "' (expected one of "
                    + String.join(", ", NAMES) + ", preact-resnet18-wN for a first stage N channels wide, or a JSON spec file)");
        };
        return new Architecture(name, new int[] {c, h, w}, classes, l);
    }

    /**
     * PreAct-ResNet-18 (Rice et al. 2020's and RobustBench's {@code PreActResNet18}) with
     * {@code width} channels in the first stage (64 in the paper; 2x, 4x, 8x in the next three):
     * conv1, four stages of two {@link PreActBlock}s (strides 1, 2, 2, 2), then bn, ReLU, average
     * pooling over the remaining h/8 x w/8 and linear. Layers carry the PyTorch module's
     * attribute names (conv1, layer1.0, ..., bn, linear), so the parameters' names are its
     * state_dict keys.
     *
     * @param c input channels
     * @param h input height
     * @param w input width
     * @param classes the number of classes
     * @param width the first stage's channels (64 in the paper; the later stages double it)
     * @return the architecture
     */
    public static Architecture preActResNet18(int c, int h, int w, int classes, int width) {
        List<LayerSpec> l = new java.util.ArrayList<>();
        l.add(of("conv2d", "in", c, "out", width, "kernel", 3, "padding", 1, "bias", false, "name", "conv1"));
        int in = width;
        for (int stage = 0; stage < 4; stage++) {
            int out = width << stage;
            for (int b = 0; b < 2; b++) {
                l.add(of("preact", "in", in, "out", out, "stride", stage > 0 && b == 0 ? 2 : 1, "name", "layer" + (stage + 1) + "." + b));
                in = out;
            }
        }
        l.add(of("batchnorm2d", "channels", in, "name", "bn"));
        l.add(of("relu"));
        l.add(of("avgpool", "kernel", Math.max(1, (h + 7) / 8)));
        l.add(of("flatten"));
        l.add(of("linear", "in", in, "out", classes, "name", "linear"));
        return new Architecture(width == 64 ? "preact-resnet18" : "preact-resnet18-w" + width, new int[] {c, h, w}, classes, l);
    }
}
