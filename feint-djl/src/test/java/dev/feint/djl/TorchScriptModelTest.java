package dev.feint.djl;

import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.Norm;
import dev.feint.attack.gradient.Pgd;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.eval.AttackRunner;
import dev.feint.io.Npy;
import dev.feint.model.Bounds;
import dev.feint.model.DifferentiableModel;
import dev.feint.model.LossFunction;
import dev.feint.model.NetworkModel;
import dev.feint.nn.NetworkFile;
import dev.feint.model.InputPreprocessing;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The demo PGD-trained LeNet traced to TorchScript by PyTorch 1.13 (scripts/make-djl-fixtures.py)
 * and served by libtorch 2.7.1 through DJL: its logits and input gradients equal PyTorch's, and
 * Feint's PGD through it finds what PGD on the same weights as a Feint network finds.
 */
class TorchScriptModelTest {
    /** The normalisation of demo/models/fmnist-lenet-pgd.safetensors, which the TorchScript module does not contain. */
    static final InputPreprocessing LENET = new InputPreprocessing(Bounds.UNIT, new float[] {0.28604060f}, new float[] {0.35302424f}, false, false);
    static final int[] INPUT = {1, 28, 28};
    static TorchScriptModel model;

    static Path resource(String name) {
        try {
            return Path.of(TorchScriptModelTest.class.getResource("/djl/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("missing test resource " + name);
        }
    }

    static float relativeError(float[] got, float[] want) {
        assertEquals(want.length, got.length);
        double worst = 0, scale = 0;
        for (int i = 0; i < want.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - want[i]));
            scale = Math.max(scale, Math.abs(want[i]));
        }
        return (float) (worst / scale);
    }

    static int[] labels() {
        float[] l = Npy.read(resource("lenet-pgd.labels.npy")).data();
        int[] y = new int[l.length];
        for (int i = 0; i < y.length; i++) y[i] = Math.round(l[i]);
        return y;
    }

    @BeforeAll
    static void load() { model = TorchScriptModel.load(resource("lenet-pgd.pt"), INPUT, LENET, null); }

    @AfterAll
    static void close() { model.close(); }

    @Test
    void logitsAndInputGradientsMatchPyTorch() {
        Tensor x = Npy.read(resource("lenet-pgd.x.npy"));
        assertEquals(10, model.numClasses());
        float le = relativeError(model.logits(x).data(), Npy.read(resource("lenet-pgd.logits.npy")).data());
        assertTrue(le < 1e-4f, "logits off by " + le + " relative");
        DifferentiableModel.Gradient g = model.gradient(x, LossFunction.crossEntropy(labels()));
        float ge = relativeError(g.grad(), Npy.read(resource("lenet-pgd.grad.npy")).data());
        assertTrue(ge < 1e-3f, "cross-entropy input gradient off by " + ge + " relative");
        float[] into = new float[x.size()];
        java.util.Arrays.fill(into, 7f);
        float[] mg = model.gradient(x, LossFunction.margin(labels()), into).grad();
        float me = relativeError(mg, Npy.read(resource("lenet-pgd.margin.grad.npy")).data());
        assertTrue(me < 1e-3f, "margin-loss input gradient off by " + me + " relative");
        assertTrue(mg == into, "the gradient is written into the caller's buffer");
        assertEquals(4, g.loss().length);
    }

    /** A ZooModel as a DJL user loads one. */
    static ZooModel<NDList, NDList> zoo(String file) throws Exception {
        Libtorch.engine();
        return Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(resource(file)).optEngine("PyTorch").build().loadModel();
    }

    @Test
    void zooModelsAsBlackBoxAndDifferentiableModelsAgree() throws Exception {
        Tensor x = Npy.read(resource("lenet-pgd.x.npy"));
        float[] all = model.logits(x).data();
        try (ZooModel<NDList, NDList> zoo = zoo("lenet-pgd.pt");
             DjlModel black = DjlModel.of(zoo, INPUT, LENET, null);
             TorchScriptModel white = TorchScriptModel.of(zoo, INPUT, LENET, null)) {
            assertArrayEquals(all, black.logits(x).data(), 1e-6f);
            Tensor one = Tensor.of(java.util.Arrays.copyOfRange(x.data(), 784, 2 * 784), 1, 1, 28, 28);
            float[] z1 = black.logits(one).data();
            for (int j = 0; j < 10; j++) assertEquals(all[10 + j], z1[j], 1e-4f * Math.max(1, Math.abs(z1[j])));
            assertArrayEquals(model.gradient(x, LossFunction.crossEntropy(labels())).grad(),
                    white.gradient(x, LossFunction.crossEntropy(labels())).grad(), 1e-7f);
            assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), black.classNames());
        }
    }

    @Test
    void aScriptedModuleRunsInEvalModeWithAutograd() {
        // BatchNorm with randomised statistics and Dropout(0.5): in training mode neither the logits nor the gradient would match.
        try (TorchScriptModel m = TorchScriptModel.load(resource("bn-dropout.pt"), new int[] {3, 8, 8}, InputPreprocessing.DEFAULT, null)) {
            Tensor x = Npy.read(resource("bn-dropout.x.npy"));
            float[] want = Npy.read(resource("bn-dropout.logits.npy")).data();
            for (int round = 0; round < 2; round++) {
                float le = relativeError(m.logits(x).data(), want);
                assertTrue(le < 1e-4f, "logits off by " + le + " relative (round " + round + ")");
                DifferentiableModel.Gradient g = m.gradient(x, LossFunction.crossEntropy(new int[] {1, 2}));
                float ge = relativeError(g.grad(), Npy.read(resource("bn-dropout.grad.npy")).data());
                assertTrue(ge < 1e-3f, "input gradient off by " + ge + " relative (round " + round + ")");
                assertTrue(relativeError(g.logits().data(), want) < 1e-4f, "the gradient pass's logits too");
            }
        }
    }

    @Test
    void inputGradientsAgreeWithFiniteDifferencesInTheUsersRange() {
        // In [0, 255] with the mean/std of that range: the gradient is with respect to the user's input.
        InputPreprocessing p255 = new InputPreprocessing(new Bounds(0f, 255f), new float[] {0.28604060f * 255}, new float[] {0.35302424f * 255}, false, false);
        try (TorchScriptModel m = TorchScriptModel.load(resource("lenet-pgd.pt"), INPUT, p255, null)) {
            Tensor x = Npy.read(resource("lenet-pgd.x.npy")).mul(255f).detach();
            int[] y = labels();
            DifferentiableModel.Gradient r = m.gradient(x, LossFunction.crossEntropy(y));
            float[] g = r.grad();
            int e = 0;                                         // the least confident example, and its pixel with the largest gradient
            for (int i = 1; i < 4; i++) if (r.loss()[i] > r.loss()[e]) e = i;
            int at = e * 784;
            for (int i = e * 784; i < (e + 1) * 784; i++) if (Math.abs(g[i]) > Math.abs(g[at])) at = i;
            float[] v = x.data();
            float h = 1f, old = v[at];
            v[at] = old + h;
            float up = m.gradient(x, LossFunction.crossEntropy(y)).loss()[e];
            v[at] = old - h;
            float down = m.gradient(x, LossFunction.crossEntropy(y)).loss()[e];
            v[at] = old;
            assertEquals((up - down) / (2 * h), g[at], 2e-2 * Math.abs(g[at]) + 1e-6);
            assertTrue(Math.abs(g[at]) > 1e-5, "the least confident example has a gradient: " + g[at]);
        }
    }

    @Test
    void concurrentLogitsAndGradientsGiveTheSequentialResults() throws Exception {
        Tensor x = Npy.read(resource("lenet-pgd.x.npy"));
        LossFunction ce = LossFunction.crossEntropy(labels());
        float[] z = model.logits(x).data(), g = model.gradient(x, ce).grad();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<Boolean>> runs = new java.util.ArrayList<>();
            for (int t = 0; t < 8; t++) {
                boolean grad = t % 2 == 0;
                runs.add(pool.submit(() -> {
                    for (int r = 0; r < 5; r++) {
                        float[] got = grad ? model.gradient(x, ce).grad() : model.logits(x).data();
                        if (!java.util.Arrays.equals(got, grad ? g : z)) return false;
                    }
                    return true;
                }));
            }
            for (var r : runs) assertTrue(r.get(), "a concurrent call gave other values than a sequential one");
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void pgdThroughDjlMatchesPgdOnTheSameWeightsAsAFeintNetwork() {
        Dataset d = Datasets.load(Path.of("..", "demo", "fashion-mnist-1k").toString(), "test").slice(0, 200);
        NetworkModel feint = NetworkModel.of(NetworkFile.load(Path.of("..", "demo", "models", "fmnist-lenet-pgd.safetensors")).network());
        Attack pgd = Pgd.builder().norm(Norm.LINF).eps(0.1f).steps(10).seed(1L).build();
        long t0 = System.nanoTime();
        var viaDjl = new AttackRunner(model).batchSize(100).run(pgd, d.images(), d.labels(), null).summary();
        long t1 = System.nanoTime();
        var native_ = new AttackRunner(feint).batchSize(100).run(pgd, d.images(), d.labels(), null).summary();
        System.out.printf("PGD-10 on 200 images: DJL %.1f s, Feint %.1f s; robust %.3f vs %.3f%n", (t1 - t0) / 1e9, (System.nanoTime() - t1) / 1e9,
                viaDjl.robustAccuracy(), native_.robustAccuracy());
        assertEquals(native_.cleanAccuracy(), viaDjl.cleanAccuracy(), 0.5 / 200, "clean accuracy, same weights");
        assertEquals(native_.robustAccuracy(), viaDjl.robustAccuracy(), 0.01, "PGD-10 robust accuracy within 1 point");
        assertTrue(viaDjl.robustAccuracy() < viaDjl.cleanAccuracy() - 0.05, "PGD through DJL does something: " + viaDjl);
    }

    @Test
    void badFilesAndShapesAreOneClearMessage() throws Exception {
        var missing = assertThrows(FeintException.class, () -> TorchScriptModel.load(Path.of("no-such.pt"), INPUT, LENET, null));
        assertEquals("no-such.pt: no such file (expected a TorchScript .pt file)", missing.getMessage());
        Path text = Files.createTempFile("feint-djl", ".pt");
        try {
            Files.writeString(text, "not a model");
            var notZip = assertThrows(FeintException.class, () -> TorchScriptModel.load(text, INPUT, LENET, null));
            assertTrue(notZip.getMessage().startsWith(text + ": not a TorchScript file"), notZip.getMessage());
        } finally {
            Files.delete(text);
        }
        var stateDict = assertThrows(FeintException.class, () -> TorchScriptModel.load(resource("state-dict.pt"), INPUT, LENET, null));
        assertTrue(stateDict.getMessage().contains("state-dict.pt: not a TorchScript module"), stateDict.getMessage());
        var shape = assertThrows(FeintException.class, () -> TorchScriptModel.load(resource("lenet-pgd.pt"), new int[] {3, 32, 32}, LENET, null));
        assertTrue(shape.getMessage().contains("lenet-pgd.pt: the model does not run on one input [1, 3, 32, 32]"), shape.getMessage());
        assertTrue(!shape.getMessage().contains("\n"), "one line: " + shape.getMessage());
        var names = assertThrows(FeintException.class, () -> TorchScriptModel.load(resource("lenet-pgd.pt"), INPUT, LENET, List.of("a", "b")));
        assertTrue(names.getMessage().startsWith("2 class names given"), names.getMessage());
        var batch = assertThrows(IllegalArgumentException.class, () -> model.gradient(Tensor.zeros(2, 1, 28, 27), LossFunction.logit(new int[] {0, 0})));
        assertEquals("model expects inputs [n, 1, 28, 28], got [2, 1, 28, 27]", batch.getMessage());
    }
}
