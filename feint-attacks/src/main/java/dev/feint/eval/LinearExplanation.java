package dev.feint.eval;

import dev.feint.FeintException;
import dev.feint.attack.gradient.DeepFool;
import dev.feint.autograd.Reductions;
import dev.feint.data.Batch;
import dev.feint.data.Dataset;
import dev.feint.model.Bounds;
import dev.feint.model.DifferentiableModel;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Goodfellow et al.'s linear explanation of adversarial examples (arXiv:1412.6572, section 3),
 * measured on a model: for a score linear in the input, {@code s(x) = w.x}, the step
 * {@code eps * sign(w)} moves the score by exactly {@code eps * ||w||_1} (about {@code eps * m * n}
 * for n inputs of mean weight magnitude m), so tiny per-pixel changes add up with the dimension.
 *
 * <p>The score of example (x, y) is the logit gap {@code s = z_j - z_y}, j the top class other
 * than y at x (the gap an untargeted attack must push above 0). With {@code g = grad_x s} at x, the
 * prediction of the linear view is {@code eps * ||g||_1}; the measurement is
 * {@code s(x + eps * sign(g)) - s(x)}, without clipping to the bounds (the function itself is
 * measured) and, beside it, clipped to {@code model.bounds()} (what an attack can do with images).
 * For a model linear in its input (softmax regression) the two agree to float rounding; the gap
 * between them shows how far a deeper model bends along its own gradient direction.
 *
 * <pre>{@code
 * LinearExplanation.Report r = LinearExplanation.builder().model(NetworkModel.of(net)).data(test.slice(0, 500))
 *         .eps(0.01f, 0.02f, 0.05f).build().run();
 * r.points().get(0).measured();   // mean measured gap change at eps 0.01
 * }</pre>
 */
public final class LinearExplanation {
    /**
     * Means over the examples at one eps: predicted and measured gap change (unclipped and clipped),
     * the largest relative deviation {@code |measured - predicted| / predicted} of one example
     * (unclipped), and the error rate of the clipped inputs.
     *
     * @param eps the radius
     * @param predicted mean predicted gap change, {@code eps * ||g||_1}
     * @param measured mean measured gap change, unclipped
     * @param measuredClipped mean measured gap change of the inputs clipped to the bounds
     * @param maxRelativeDeviation the largest relative deviation of one example, unclipped
     * @param errorClipped the error rate of the clipped inputs
     */
    public record Point(float eps, double predicted, double measured, double measuredClipped, double maxRelativeDeviation,
                        double errorClipped) {}

    /**
     * One model's figures: its input shape and size n, the mean of {@code ||g||_1} and of {@code |g_i|}, and the points.
     *
     * @param input the model's input shape [C, H, W]
     * @param inputSize n, the values per input
     * @param examples examples measured
     * @param meanGradL1 mean {@code ||g||_1}
     * @param meanAbsGrad mean {@code |g_i|}
     * @param points one point per eps, ascending
     */
    public record Report(int[] input, int inputSize, int examples, double meanGradL1, double meanAbsGrad, List<Point> points) {
        /** {@return the report as JSON, NaN written as null} */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            List<Object> shape = new ArrayList<>();
            for (int v : input) shape.add((long) v);
            m.put("input", shape);
            m.put("inputSize", (long) inputSize);
            m.put("examples", (long) examples);
            m.put("meanGradL1", meanGradL1);
            m.put("meanAbsGrad", meanAbsGrad);
            List<Object> ps = new ArrayList<>();
            for (Point p : points) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("eps", (double) p.eps());
                o.put("predicted", p.predicted());
                o.put("measured", p.measured());
                o.put("measuredClipped", p.measuredClipped());
                o.put("maxRelativeDeviation", p.maxRelativeDeviation());
                o.put("errorClipped", p.errorClipped());
                ps.add(o);
            }
            m.put("points", ps);
            return m;
        }
    }

    private final DifferentiableModel model;
    private final Dataset data;
    private final float[] eps;
    private final int batchSize;

    private LinearExplanation(Builder b) {
        this.model = b.model;
        this.data = b.data;
        this.eps = b.eps;
        this.batchSize = b.batchSize;
    }

    /** {@return a builder; {@code model}, {@code data} and {@code eps} are required} */
    public static Builder builder() { return new Builder(); }

    /** Builder: {@code model}, {@code data} and {@code eps} are required; {@code batchSize} defaults to 100. */
    public static final class Builder {
        private DifferentiableModel model;
        private Dataset data;
        private float[] eps;
        private int batchSize = 100;

        private Builder() {}

        /**
         * Sets the model whose logit gap is measured.
         *
         * @param m the model (required)
         * @return this builder
         */
        public Builder model(DifferentiableModel m) { this.model = m; return this; }

        /**
         * Sets the examples measured.
         *
         * @param d at least one example (required)
         * @return this builder
         */
        public Builder data(Dataset d) { this.data = d; return this; }

        /**
         * Sets the radii.
         *
         * @param e at least one radius, each &gt; 0 (required)
         * @return this builder
         */
        public Builder eps(float... e) { this.eps = e.clone(); return this; }

        /**
         * Sets the examples per forward and backward pass.
         *
         * @param n examples, &gt;= 1 (default 100)
         * @return this builder
         */
        public Builder batchSize(int n) { this.batchSize = n; return this; }

        /**
         * Checks the values and builds the measurement.
         *
         * @return the measurement
         * @throws dev.feint.FeintException naming the value missing or out of range
         */
        public LinearExplanation build() {
            if (model == null) throw new FeintException("model is required");
            if (data == null || data.size() == 0) throw new FeintException("data must hold at least one example");
            if (model.numClasses() < 2) throw new FeintException("the model needs at least 2 classes, has " + model.numClasses());
            if (eps == null || eps.length == 0) throw new FeintException("eps needs at least one value");
            for (float e : eps) if (!(e > 0)) throw new FeintException("eps must be > 0, got " + e);
            if (batchSize < 1) throw new FeintException("batchSize must be >= 1, got " + batchSize);
            return new LinearExplanation(this);
        }
    }

    /**
     * Measures every example at every eps.
     *
     * @return the figures
     */
    public Report run() {
        int n = data.size(), d = model.inputSize(), k = model.numClasses(), m = eps.length;
        Bounds bounds = model.bounds();
        double sumL1 = 0;
        double[] pred = new double[m], meas = new double[m], clip = new double[m], dev = new double[m], err = new double[m];
        for (int from = 0; from < n; from += batchSize) {
            int b = Math.min(batchSize, n - from);
            int[] idx = new int[b];
            for (int i = 0; i < b; i++) idx[i] = from + i;
            Batch batch = data.batch(idx);
            Tensor x = batch.x();
            int[] y = batch.y();
            Tensor logits = model.logits(x);
            float[] z0 = logits.data();
            int[] others = DeepFool.topOthersOf(logits, y);
            int[][] rows = new int[b][];
            for (int i = 0; i < b; i++) rows[i] = new int[] {y[i], others[i]};
            float[] jac = model.jacobianRows(x, rows).grads();
            float[] sign = new float[b * d];
            double[] l1 = new double[b];
            for (int i = 0; i < b; i++) {
                int ry = (i * 2) * d, rj = (i * 2 + 1) * d;
                for (int c = 0; c < d; c++) {
                    float g = jac[rj + c] - jac[ry + c];
                    l1[i] += Math.abs(g);
                    sign[i * d + c] = Math.signum(g);
                }
                sumL1 += l1[i];
            }
            float[] xs = x.data();
            for (int e = 0; e < m; e++) {
                float[] moved = new float[xs.length], clipped = new float[xs.length];
                for (int t = 0; t < xs.length; t++) {
                    moved[t] = xs[t] + eps[e] * sign[t];
                    clipped[t] = Math.max(bounds.lo(), Math.min(bounds.hi(), moved[t]));
                }
                float[] z1 = model.logits(Tensor.of(moved, x.shape().dims())).data();
                Tensor clippedLogits = model.logits(Tensor.of(clipped, x.shape().dims()));
                float[] z2 = clippedLogits.data();
                int[] predicted = Reductions.argmaxLast(clippedLogits);
                for (int i = 0; i < b; i++) {
                    int yi = rows[i][0], j = rows[i][1];
                    double gap0 = z0[i * k + j] - z0[i * k + yi];
                    double p = eps[e] * l1[i], got = (z1[i * k + j] - z1[i * k + yi]) - gap0;
                    pred[e] += p;
                    meas[e] += got;
                    clip[e] += (z2[i * k + j] - z2[i * k + yi]) - gap0;
                    if (p > 0) dev[e] = Math.max(dev[e], Math.abs(got - p) / p);
                    if (predicted[i] != yi) err[e]++;
                }
            }
        }
        List<Point> points = new ArrayList<>();
        for (int e = 0; e < m; e++) points.add(new Point(eps[e], pred[e] / n, meas[e] / n, clip[e] / n, dev[e], err[e] / n));
        return new Report(model.inputShape().clone(), d, n, sumL1 / n, sumL1 / n / d, List.copyOf(points));
    }
}
