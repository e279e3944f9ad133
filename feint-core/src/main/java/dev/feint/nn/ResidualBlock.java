package dev.feint.nn;

import dev.feint.autograd.Unary;
import dev.feint.tensor.Tensor;

import java.util.List;
import java.util.SplittableRandom;

/**
 * ResNet basic block: relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x)); the shortcut is a
 * 1x1 conv + BatchNorm when the stride or channel count changes, else identity.
 */
public final class ResidualBlock extends Module {
    /** Input channels, output channels and the first convolution's stride. */
    public final int in, out, stride;
    private final Conv2d conv1, conv2;
    private final BatchNorm bn1, bn2;
    private final Sequential shortcut;

    /**
     * A block initialised as PyTorch's.
     *
     * @param in input channels
     * @param out output channels
     * @param stride the stride of the first convolution (and of the shortcut)
     * @param rng the generator of the initial weights (advanced)
     */
    public ResidualBlock(int in, int out, int stride, SplittableRandom rng) {
        this.in = in;
        this.out = out;
        this.stride = stride;
        conv1 = child("conv1", new Conv2d(in, out, 3, stride, 1, 1, false, rng));
        bn1 = child("bn1", new BatchNorm(out, true));
        conv2 = child("conv2", new Conv2d(out, out, 3, 1, 1, 1, false, rng));
        bn2 = child("bn2", new BatchNorm(out, true));
        shortcut = (stride != 1 || in != out)
                ? child("shortcut", new Sequential(List.of(new Conv2d(in, out, 1, stride, 0, 1, false, rng), new BatchNorm(out, true))))
                : null;
    }

    @Override public Tensor forward(Tensor x) {
        Tensor h = Unary.relu(bn1.forward(conv1.forward(x)));
        h = bn2.forward(conv2.forward(h));
        Tensor s = shortcut == null ? x : shortcut.forward(x);
        return Unary.relu(h.add(s));
    }
}
