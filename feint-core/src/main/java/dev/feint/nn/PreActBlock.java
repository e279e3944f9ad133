package dev.feint.nn;

import dev.feint.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Pre-activation ResNet basic block (He et al. 2016, "Identity Mappings in Deep Residual
 * Networks", arXiv:1603.05027), as in the adversarial-training literature's PreActResNet-18
 * (Rice et al. 2020, Wong et al. 2020, RobustBench): {@code a = relu(bn1(x))},
 * {@code conv2(relu(bn2(conv1(a)))) + shortcut}, the shortcut being {@code x}, or a 1x1
 * convolution of {@code a} when the stride or channel count changes. Children are named as
 * PyTorch's {@code PreActBlock}: bn1, conv1, bn2, conv2, shortcut.0 (3x3 convolutions and the
 * shortcut without bias).
 */
public final class PreActBlock extends Module {
    /** Input channels, output channels and the first convolution's stride. */
    public final int in, out, stride;
    private final BatchNorm bn1, bn2;
    private final Conv2d conv1, conv2;
    private final Sequential shortcut;

    /**
     * A block initialised as PyTorch's.
     *
     * @param in input channels
     * @param out output channels
     * @param stride the stride of the first convolution (and of the shortcut)
     * @param rng the generator of the initial weights (advanced)
     */
    public PreActBlock(int in, int out, int stride, SplittableRandom rng) {
        this.in = in;
        this.out = out;
        this.stride = stride;
        bn1 = child("bn1", new BatchNorm(in, true));
        conv1 = child("conv1", new Conv2d(in, out, 3, stride, 1, 1, false, rng));
        bn2 = child("bn2", new BatchNorm(out, true));
        conv2 = child("conv2", new Conv2d(out, out, 3, 1, 1, 1, false, rng));
        shortcut = stride != 1 || in != out ? child("shortcut", new Sequential(List.of(new Conv2d(in, out, 1, stride, 0, 1, false, rng)))) : null;
    }

    @Override public Tensor forward(Tensor x) {
        Tensor a = bn1.forwardRelu(x);
        Tensor s = shortcut == null ? x : shortcut.forward(a);
        Tensor h = conv2.forward(bn2.forwardRelu(conv1.forward(a)));
        return h.add(s);
    }
}
