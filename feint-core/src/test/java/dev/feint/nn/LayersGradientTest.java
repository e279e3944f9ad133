package dev.feint.nn;

import dev.feint.autograd.GradCheck;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Every layer: the gradient with respect to the input and to each parameter matches central
 * differences (parameters are checked by passing them as the checked inputs).
 */
class LayersGradientTest {
    private static void checkModule(String what, Module m, Tensor x) { checkModule(what, m, x, 1e-2f, 2e-2f); }

    static void checkModule(String what, Module m, Tensor x, float h, float tol) {
        List<Tensor> ins = new ArrayList<>();
        ins.add(x);
        ins.addAll(m.namedParameters().values());
        Function<Tensor[], Tensor> f = t -> m.forward(t[0]);
        GradCheck.check(what, f, h, tol, ins.toArray(new Tensor[0]));
    }

    static Tensor input(long seed, int... dims) {
        return GradCheck.awayFrom(new SplittableRandom(seed), 0f, new float[0], dims);
    }

    @Test
    void linearAndConv() {
        SplittableRandom r = new SplittableRandom(1);
        checkModule("Linear", new Linear(4, 3, r), input(2, 2, 4));
        checkModule("Linear size-1", new Linear(1, 1, r), input(3, 1, 1));
        checkModule("Conv2d", new Conv2d(2, 3, 3, 1, 1, 1, true, r), input(4, 2, 2, 4, 4));
        checkModule("Conv2d stride 2 no bias", new Conv2d(1, 2, 3, 2, 1, 1, false, r), input(5, 1, 1, 5, 5));
    }

    @Test
    void maxoutAndSequential() {
        SplittableRandom r = new SplittableRandom(6);
        // Well-separated pieces so the max does not switch under the finite-difference step.
        Maxout mo = new Maxout(3, 2, 3, r);
        float[] w = mo.namedParameters().get("weight").data();
        for (int i = 0; i < w.length; i++) w[i] = (i % 3) * 0.9f + 0.05f * (i % 5);
        checkModule("Maxout", mo, Tensor.of(new float[] {0.3f, 0.5f, 0.7f, 0.2f, 0.4f, 0.9f}, 2, 3));
        Sequential s = new Sequential(List.of(new Flatten(), new Linear(8, 4, r), new Activation(Activation.Kind.TANH), new Linear(4, 2, r)));
        checkModule("Sequential", s, input(7, 2, 2, 2, 2));
    }

    @Test
    void batchNormModuleBothModes() {
        BatchNorm bn = new BatchNorm(3, true);
        checkModule("BatchNorm2d train", bn, input(8, 2, 3, 2, 2));
        bn.eval();
        checkModule("BatchNorm2d eval", bn, input(9, 2, 3, 2, 2));
        BatchNorm bn1 = new BatchNorm(2, false);
        checkModule("BatchNorm1d train", bn1, input(10, 4, 2));
    }

    @Test
    void residualBlock() {
        SplittableRandom r = new SplittableRandom(11);
        ResidualBlock b = new ResidualBlock(2, 3, 2, r);
        b.eval(); // eval mode keeps BatchNorm smooth for the finite differences
        // Two ReLUs in series: a smaller step keeps the finite difference from crossing a kink.
        checkModule("ResidualBlock", b, input(12, 1, 2, 4, 4), 1e-3f, 3e-2f);
    }

    @Test
    void networkNormalisationPassesGradientToInput() {
        SplittableRandom r = new SplittableRandom(13);
        Architecture a = new Architecture("t", new int[] {2, 2, 2}, 2,
                List.of(LayerSpec.of("flatten"), LayerSpec.of("linear", "in", 8, "out", 2)));
        Network net = new Network(a, a.build(3), new float[] {0.5f, 0.2f}, new float[] {0.25f, 2f});
        GradCheck.check("Network input gradient", t -> net.forward(t[0]), input(14, 3, 2, 2, 2));
    }
}
