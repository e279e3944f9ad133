package dev.feint.model;

import dev.feint.autograd.Grad;
import dev.feint.nn.Architecture;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.tensor.FrozenWeights;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/**
 * The activation arena behind {@link NetworkModel#gradient} and {@link NetworkModel#logits}
 * (issue 19): results handed to the caller are never reused under them, and the bits are those
 * of the same passes run without an arena, also from two threads on one model.
 */
class ArenaReuseTest {
    private static final Network NET = network();
    private static final NetworkModel MODEL = NetworkModel.of(NET);

    /** madry-cnn (Winograd, fused conv + ReLU + pool, linear + ReLU) with a normalisation in front. */
    private static Network network() {
        Architecture a = Presets.get("madry-cnn", 1, 28, 28, 10);
        return new Network(a, Network.create(a, 42).body(), new float[] {0.3f}, new float[] {0.4f}).eval();
    }

    private static Tensor images(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n * 784];
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        return Tensor.of(x, n, 1, 28, 28);
    }

    private static int[] labels(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = r.nextInt(10);
        return y;
    }

    /** The gradient pass without an arena: the same steps as InputGradients.compute, outside any scope. */
    private static DifferentiableModel.Gradient reference(Tensor x, LossFunction loss) {
        List<Tensor> params = List.copyOf(NET.body().namedParameters().values());
        return InputGradients.frozen(NET, params, x, null, leaf -> {
            Tensor z = NET.forward(leaf);
            Tensor l = loss.apply(z);
            l.sum().backward();
            return new DifferentiableModel.Gradient(z.copy(), l.data().clone(), leaf.grad().clone());
        });
    }

    private static float[] referenceLogits(Tensor x) {
        try (var ng = Grad.noGrad()) {
            return NET.forward(x).data().clone();
        }
    }

    private static void assertSame(DifferentiableModel.Gradient want, DifferentiableModel.Gradient got, String what) {
        assertArrayEquals(want.logits().data(), got.logits().data(), what + ": logits");
        assertArrayEquals(want.loss(), got.loss(), what + ": losses");
        assertArrayEquals(want.grad(), got.grad(), what + ": input gradient");
    }

    @Test
    void consecutiveCallsLeaveEarlierResultsIntactWithTheBitsOfNoArena() {
        try (var frozen = FrozenWeights.open()) {
            // Batch sizes 3, 3, 5, 3: the second call reuses the first one's arrays.
            int[] sizes = {3, 3, 5, 3};
            var got = new ArrayList<DifferentiableModel.Gradient>();
            var want = new ArrayList<DifferentiableModel.Gradient>();
            var logits = new ArrayList<float[]>();
            var wantLogits = new ArrayList<float[]>();
            for (int k = 0; k < sizes.length; k++) {
                Tensor x = images(sizes[k], 10 + k);
                LossFunction loss = LossFunction.crossEntropy(labels(sizes[k], 20 + k));
                want.add(reference(x, loss));
                wantLogits.add(referenceLogits(x));
                got.add(MODEL.gradient(x, loss));
                logits.add(MODEL.logits(x).data());
            }
            for (int k = 0; k < sizes.length; k++) {
                assertSame(want.get(k), got.get(k), "call " + k + " after all calls");
                assertArrayEquals(wantLogits.get(k), logits.get(k), "logits of call " + k + " after all calls");
            }
            // The caller's own gradient buffer is filled, and is still intact after the next call.
            Tensor x = images(3, 30);
            LossFunction loss = LossFunction.margin(labels(3, 31));
            float[] into = new float[x.size()];
            MODEL.gradient(x, loss, into);
            float[] snapshot = into.clone();
            MODEL.gradient(images(3, 32), LossFunction.margin(labels(3, 33)));
            assertArrayEquals(snapshot, into);
            assertArrayEquals(reference(x, loss).grad(), into);
        }
    }

    /** jacobianRows without an arena: one forward, a fresh zero gradient per row, outside any scope. */
    private static DifferentiableModel.Jacobian referenceJacobian(Tensor x, int[][] classes) {
        List<Tensor> params = List.copyOf(NET.body().namedParameters().values());
        int n = x.dim(0), d = 784, m = DifferentiableModel.Jacobian.rows(x, classes, 10);
        float[] out = new float[n * m * d];
        return InputGradients.frozen(NET, params, x, null, leaf -> {
            Tensor z = NET.forward(leaf);
            for (int j = 0; j < m; j++) {
                float[] g = new float[n * d];
                leaf.setGrad(g);
                dev.feint.autograd.Backprop.run(LossFunction.logit(DifferentiableModel.Jacobian.column(classes, j)).apply(z).sum(), j < m - 1);
                DifferentiableModel.Jacobian.scatter(g, out, j, m, n, d);
            }
            return new DifferentiableModel.Jacobian(z.copy(), m, out);
        });
    }

    @Test
    void jacobianRowsInAnArenaGiveTheBitsOfNoArenaAndOutliveTheNextCalls() {
        try (var frozen = FrozenWeights.open()) {
            int[][][] classes = {{{1, 4, 7}, {0, 2, 9}}, {{3, 5, 6}, {8, 1, 2}}, {{2}, {7}, {9}}};
            var got = new ArrayList<DifferentiableModel.Jacobian>();
            var want = new ArrayList<DifferentiableModel.Jacobian>();
            for (int k = 0; k < classes.length; k++) {
                Tensor x = images(classes[k].length, 50 + k);
                want.add(referenceJacobian(x, classes[k]));
                got.add(MODEL.jacobianRows(x, classes[k]));
                MODEL.gradient(x, LossFunction.crossEntropy(labels(x.dim(0), 60 + k)));   // reuses the arrays in between
            }
            for (int k = 0; k < classes.length; k++) {
                assertArrayEquals(want.get(k).logits().data(), got.get(k).logits().data(), "logits of call " + k);
                assertArrayEquals(want.get(k).grads(), got.get(k).grads(), "rows of call " + k);
            }
        }
    }

    @Test
    void twoThreadsOnOneModelGetTheirOwnResults() throws Exception {
        int calls = 6;
        Tensor[] xs = {images(4, 40), images(4, 41)};
        LossFunction[] losses = {LossFunction.crossEntropy(labels(4, 42)), LossFunction.crossEntropy(labels(4, 43))};
        DifferentiableModel.Gradient[] want = {reference(xs[0], losses[0]), reference(xs[1], losses[1])};
        float[][] wantLogits = {referenceLogits(xs[0]), referenceLogits(xs[1])};
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int me = t;
                fs.add(pool.submit(() -> {
                    try (var frozen = FrozenWeights.open()) {
                        for (int i = 0; i < calls; i++) {
                            DifferentiableModel.Gradient g = MODEL.gradient(xs[me], losses[me]);
                            float[] z = MODEL.logits(xs[me]).data();
                            assertSame(want[me], g, "thread " + me + " call " + i);
                            assertArrayEquals(wantLogits[me], z, "thread " + me + " logits " + i);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : fs) f.get();
        } finally {
            pool.shutdownNow();
        }
    }
}
