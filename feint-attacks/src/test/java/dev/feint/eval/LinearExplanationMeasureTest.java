package dev.feint.eval;

import dev.feint.FeintException;
import dev.feint.data.Dataset;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link LinearExplanation} against the algebra: on softmax regression the gap z_j - z_y has the
 * input gradient (w_j - w_y) / std, so the measured change must equal eps * ||(w_j - w_y) / std||_1
 * computed here from the weights; on a ReLU network it must not.
 */
class LinearExplanationMeasureTest {
    static final float[] EPS = {0.01f, 0.05f, 0.2f};

    /** n random examples 1x{side}x{side} in [0, 1] (a third of the pixels exactly 0, so clipping bites), labels i % k. */
    static Dataset data(int n, int side, int k, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] xs = new float[n * side * side];
        for (int i = 0; i < xs.length; i++) xs[i] = rng.nextInt(3) == 0 ? 0f : (float) rng.nextDouble();
        int[] y = new int[n];
        for (int i = 0; i < n; i++) y[i] = i % k;
        java.util.List<String> names = new java.util.ArrayList<>();
        for (int c = 0; c < k; c++) names.add("c" + c);
        return new Dataset("random", Tensor.of(xs, n, 1, side, side), y, k, names);
    }

    static Network softmaxRegression(int side, int k, long seed, float mean, float std) {
        var a = Presets.get("softmax-regression", 1, side, side, k);
        return new Network(a, a.build(seed), new float[] {mean}, new float[] {std});
    }

    @ParameterizedTest(name = "{0}x{0}, {1} classes, std {3}")
    @CsvSource({"4, 2, 0, 1", "14, 10, 0.3, 0.4", "28, 10, 0.2860, 0.3530"})
    void onSoftmaxRegressionTheMeasuredChangeIsThePrediction(int side, int k, float mean, float std) {
        Network net = softmaxRegression(side, k, side, mean, std);
        Dataset d = data(37, side, k, side + 1);
        NetworkModel model = NetworkModel.of(net);
        LinearExplanation.Report r = LinearExplanation.builder().model(model).data(d).eps(EPS).batchSize(16).build().run();
        int dim = side * side;
        assertEquals(dim, r.inputSize());
        assertEquals(37, r.examples());
        // The independent prediction: eps * ||(w_j - w_y) / std||_1 from the weights, j the top other class.
        float[] w = net.body().namedParameters().get("1.weight").data();
        float[] z = model.logits(d.images()).data();
        double l1 = 0;
        for (int i = 0; i < d.size(); i++) {
            int y = d.label(i), j = -1;
            for (int c = 0; c < k; c++) if (c != y && (j < 0 || z[i * k + c] > z[i * k + j])) j = c;
            for (int p = 0; p < dim; p++) l1 += Math.abs(w[j * dim + p] - w[y * dim + p]) / std;
        }
        l1 /= d.size();
        assertEquals(l1, r.meanGradL1(), 1e-4 * l1, "mean ||g||_1");
        assertEquals(l1 / dim, r.meanAbsGrad(), 1e-4 * l1 / dim, "mean |g_i|");
        for (LinearExplanation.Point p : r.points()) {
            assertEquals(p.eps() * l1, p.predicted(), 1e-4 * p.predicted(), "prediction at eps " + p.eps());
            assertEquals(p.predicted(), p.measured(), 1e-4 * p.predicted(), "measured at eps " + p.eps());
            assertTrue(p.maxRelativeDeviation() < 1e-3, "worst example at eps " + p.eps() + ": " + p.maxRelativeDeviation());
            // Clipping to [0, 1] only shortens steps along sign(g): the clipped change is smaller, but positive.
            assertTrue(p.measuredClipped() > 0 && p.measuredClipped() < p.measured(), "clipped " + p.measuredClipped() + " vs " + p.measured());
        }
        assertTrue(r.points().get(2).errorClipped() >= r.points().get(0).errorClipped(), "error grows with eps");
    }

    @Test
    void onAReluNetworkTheLinearPredictionIsOff() {
        var a = Presets.get("mlp", 1, 8, 8, 10);
        Network net = Network.create(a, 3);
        LinearExplanation.Report r = LinearExplanation.builder().model(NetworkModel.of(net)).data(data(20, 8, 10, 4))
                .eps(0.5f).build().run();
        LinearExplanation.Point p = r.points().getFirst();
        assertTrue(p.maxRelativeDeviation() > 1e-2, "a ReLU network bends along sign(g) at eps 0.5: " + p);
    }

    @Test
    void sameInputsSameFigures() {
        Network net = softmaxRegression(6, 3, 9, 0, 1);
        Dataset d = data(10, 6, 3, 2);
        var a = LinearExplanation.builder().model(NetworkModel.of(net)).data(d).eps(0.1f).batchSize(3).build().run();
        var b = LinearExplanation.builder().model(NetworkModel.of(net)).data(d).eps(0.1f).batchSize(10).build().run();
        assertEquals(a.meanGradL1(), b.meanGradL1(), 1e-9 * a.meanGradL1(), "independent of the batch size");
        assertEquals(a.points().getFirst().measured(), b.points().getFirst().measured(), 1e-6 * b.points().getFirst().measured());
    }

    @Test
    void badParametersAreNamed() {
        NetworkModel m = NetworkModel.of(softmaxRegression(4, 2, 1, 0, 1));
        Dataset d = data(4, 4, 2, 1);
        var e = assertThrows(FeintException.class, () -> LinearExplanation.builder().model(m).data(d).eps(0.1f, 0f).build());
        assertEquals("eps must be > 0, got 0.0", e.getMessage());
        e = assertThrows(FeintException.class, () -> LinearExplanation.builder().model(m).data(d).build());
        assertEquals("eps needs at least one value", e.getMessage());
        e = assertThrows(FeintException.class, () -> LinearExplanation.builder().model(m).data(d).eps(0.1f).batchSize(0).build());
        assertEquals("batchSize must be >= 1, got 0", e.getMessage());
    }
}
