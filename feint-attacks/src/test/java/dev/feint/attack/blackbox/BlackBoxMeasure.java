package dev.feint.attack.blackbox;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackResult;
import dev.feint.attack.Misclassification;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.model.Model;
import dev.feint.model.NetworkModel;
import dev.feint.nn.NetworkFile;
import dev.feint.tensor.Tensor;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * Measures a black-box attack on the first N Fashion-MNIST test images until the CLI wires
 * these attacks: {@code BlackBoxMeasure MODEL N ATTACK key=value...} (options as in
 * {@link dev.feint.attack.AttackSpec}: key=value). Prints success over the examples the model got right, mean
 * confidence of the adversarial prediction, queries to success (mean, median) and wall time.
 */
public final class BlackBoxMeasure {
    public static void main(String[] args) {
        Model model = NetworkModel.of(NetworkFile.load(Path.of(args[0])).network());
        int n = Integer.parseInt(args[1]);
        String spec = args[2] + (args.length > 3 ? ":" + String.join(",", java.util.Arrays.copyOfRange(args, 3, args.length)) : "");
        Attack attack = dev.feint.attack.AttackRegistry.create(spec);
        Dataset data = Datasets.load("fashion-mnist", "test").slice(0, n);
        Tensor x = data.images();
        int[] y = data.labels(), clean = model.predict(x);
        long t0 = System.nanoTime();
        AttackResult r = attack.run(model, x, new Misclassification(y));
        double secs = (System.nanoTime() - t0) / 1e9;
        int right = 0, broken = 0;
        double conf = 0, l2 = 0, linf = 0;
        int[] q = new int[n];
        for (int i = 0; i < n; i++) {
            if (clean[i] != y[i]) continue;
            right++;
            if (!r.success()[i]) continue;
            q[broken++] = r.queries()[i];
            conf += r.confidence()[i];
            l2 += r.l2()[i];
            linf += r.linf()[i];
        }
        int[] qs = Arrays.copyOf(q, broken);
        Arrays.sort(qs);
        double mean = Arrays.stream(qs).average().orElse(Double.NaN);
        double median = broken == 0 ? Double.NaN : (qs[(broken - 1) / 2] + qs[broken / 2]) / 2.0;
        System.out.printf("%s %s%n  clean %d/%d, success %d/%d = %.1f%%, robust accuracy %.1f%%, mean adv confidence %.3f,"
                        + " mean L2 %.3f, mean Linf %.3f, queries to success mean %.0f median %.0f, total queries %d, %.1f s%n",
                attack.name(), attack.parameters(), right, n, broken, right, 100.0 * broken / Math.max(1, right),
                100.0 * (right - broken) / n, conf / Math.max(1, broken), l2 / Math.max(1, broken), linf / Math.max(1, broken),
                mean, median, r.totalQueries(), secs);
    }
}
