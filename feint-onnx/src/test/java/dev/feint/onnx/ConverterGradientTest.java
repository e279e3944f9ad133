package dev.feint.onnx;

import dev.feint.autograd.Grad;
import dev.feint.nn.Graph;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The converters' gradients (composites such as LayerNormalization and Resize included): on an
 * ONNX node test's model and inputs, d sum(r * out) / d (each float input) by central differences
 * in float against the backward pass. Needs libonnx-testdata.
 */
class ConverterGradientTest {
    @ParameterizedTest
    @ValueSource(strings = {"test_layer_normalization_4d_axis1", "test_instancenorm_example", "test_resize_upsample_scales_linear",
            "test_resize_downsample_scales_nearest", "test_gemm_all_attributes", "test_matmul_3d", "test_matmul_4d", "test_softmax_axis_1",
            "test_logsoftmax_axis_0", "test_transpose_all_permutations_1", "test_concat_3d_axis_1", "test_split_equal_parts_2d",
            "test_slice", "test_reflect_pad", "test_where_example", "test_reduce_mean_keepdims_random", "test_hardswish", "test_pow",
            "test_prelu_broadcast"})
    void centralDifferencesAgree(String test) {
        Path dir = NodeConformanceTest.NODE.resolve(test);
        Assumptions.assumeTrue(Files.isDirectory(dir), "ONNX node tests not installed: skipped");
        Graph g;
        try {
            g = OnnxImport.fromBytes(Files.readAllBytes(dir.resolve("model.onnx")), test, true).graph();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        g.eval();
        Map<String, Tensor> feed = new HashMap<>();
        for (int i = 0; i < g.inputNames().size(); i++)
            feed.put(g.inputNames().get(i), NodeConformance.readTensor(dir.resolve("test_data_set_0/input_" + i + ".pb")));
        String x = g.inputNames().get(0), y = g.outputNames().get(0);
        if (test.equals("test_where_example")) x = g.inputNames().get(1);         // the condition is not differentiable
        if (test.equals("test_pow")) {                                            // a positive base: a^b and its d/db defined
            float[] d = feed.get(x).data();
            for (int i = 0; i < d.length; i++) d[i] = Math.abs(d[i]) + 0.5f;
        }
        Tensor in = feed.get(x).requiresGrad(true);
        Tensor out = g.run(feed).get(y);
        SplittableRandom rng = new SplittableRandom(7);
        float[] r = new float[out.size()];
        for (int i = 0; i < r.length; i++) r[i] = (float) (rng.nextDouble() * 2 - 1);
        out.mul(new Tensor(out.shape(), r)).sum().backward();
        float[] analytic = in.grad().clone(), v = in.data();
        boolean nonZero = false;
        float h = 1e-2f;
        for (int i = 0; i < v.length; i += Math.max(1, v.length / 40)) {
            float old = v[i];
            v[i] = old + h;
            double up = project(g, feed, y, r);
            v[i] = old - h;
            double down = project(g, feed, y, r);
            v[i] = old;
            double numeric = (up - down) / (2 * h);
            nonZero |= analytic[i] != 0;
            if (Math.abs(numeric - analytic[i]) > 2e-2 * Math.max(1, Math.abs(numeric)))
                fail(test + ": element " + i + " analytic " + analytic[i] + " numeric " + numeric);
        }
        assertTrue(nonZero, test + ": all gradients zero, the check proves nothing");
    }

    private static double project(Graph g, Map<String, Tensor> feed, String y, float[] r) {
        try (var ng = Grad.noGrad()) {
            float[] o = g.run(feed).get(y).data();
            double s = 0;
            for (int i = 0; i < r.length; i++) s += (double) o[i] * r[i];
            return s;
        }
    }
}
