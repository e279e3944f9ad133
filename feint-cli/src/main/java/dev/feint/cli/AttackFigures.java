package dev.feint.cli;

import dev.feint.data.Dataset;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.ExampleResult;
import dev.feint.io.Png;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The panda/gibbon figure per example: original | perturbation (amplified so its largest
 * coordinate spans the full range, 0.5 = unchanged, per channel for colour images) |
 * adversarial, in RGB for colour data. For the pixel attacks every changed pixel is outlined in
 * all three panels (a white and a black ring: one shows on any colour). Labels and confidences
 * go into the file names and an index.md table (PNG text would need fonts a server may lack).
 */
final class AttackFigures {
    /** Columns of white between the panels. */
    private static final int GAP = 2;

    private AttackFigures() {}

    /** File name -> bytes, for the first {@code count} examples, plus index.md. */
    static Map<String, byte[]> render(AttackOutcome o, Dataset d, Model m, List<String> classes, int count) {
        int n = Math.min(count, d.size()), per = m.inputSize();
        boolean pixel = o.pixelAttack();
        int[] s = m.inputShape();
        LinkedHashMap<String, byte[]> out = new LinkedHashMap<>();
        StringBuilder md = new StringBuilder("# " + o.attack().name() + " on " + d.name() + "\n\n"
                + "Each image: original | perturbation (amplified) | adversarial.\n\n"
                + "| index | label | clean prediction | confidence | adversarial | confidence | success | linf | l2 | l0 |"
                + (pixel ? " changed pixels (row, col) |" : "") + " file |\n"
                + "|---:|---|---|---:|---|---:|---|---:|---:|---:|" + (pixel ? "---|" : "") + "---|\n");
        if (n == 0) {
            out.put("index.md", md.toString().getBytes(StandardCharsets.UTF_8));
            return out;
        }
        float[] x = d.slice(0, n).images().data(), adv = o.adversarial().data();
        float[] clean = m.probabilities(Tensor.of(x, n, s[0], s[1], s[2])).data();
        int k = m.numClasses();
        for (int i = 0; i < n; i++) {
            ExampleResult e = o.examples().get(i);
            float[] orig = new float[per], a = new float[per], delta = new float[per];
            System.arraycopy(x, i * per, orig, 0, per);
            System.arraycopy(adv, i * per, a, 0, per);
            float max = 0;
            for (int j = 0; j < per; j++) max = Math.max(max, Math.abs(a[j] - orig[j]));
            for (int j = 0; j < per; j++) delta[j] = max == 0 ? 0.5f : 0.5f + 0.5f * (a[j] - orig[j]) / max;
            Tensor strip = Png.strip(List.of(Tensor.of(orig, s), Tensor.of(delta, s), Tensor.of(a, s)), GAP);
            float cc = clean[i * k + e.cleanPrediction()];
            String file = String.format(Locale.ROOT, "%05d-%s-to-%s-%.0fpct.png", e.index(), safe(classes.get(e.label())),
                    safe(classes.get(e.adversarialPrediction())), 100 * e.confidence());
            List<int[]> marks = new java.util.ArrayList<>();
            if (e.pixels() != null)
                for (var p : e.pixels()) for (int panel = 0; panel < 3; panel++) marks.add(new int[] {p.row(), p.col() + panel * (s[2] + GAP)});
            out.put(file, Png.encode(strip, 4, marks));
            md.append(String.format(Locale.ROOT, "| %d | %s | %s | %.1f%% | %s | %.1f%% | %s | %.4f | %.4f | %d |%s [%s](%s) |%n", e.index(),
                    classes.get(e.label()), classes.get(e.cleanPrediction()), 100 * cc, classes.get(e.adversarialPrediction()), 100 * e.confidence(),
                    e.success() ? "yes" : "no", e.linf(), e.l2(), (int) e.l0(), pixel ? " " + pixels(e) + " |" : "", file, file));
        }
        out.put("index.md", md.toString().getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /** "(3, 17) (20, 4)" for the changed pixels of a pixel attack's example. */
    private static String pixels(ExampleResult e) {
        StringBuilder b = new StringBuilder();
        for (var p : e.pixels()) b.append(b.isEmpty() ? "" : " ").append('(').append(p.row()).append(", ").append(p.col()).append(')');
        return b.isEmpty() ? "none" : b.toString();
    }

    private static String safe(String name) { return name.replaceAll("[^A-Za-z0-9_-]", "_"); }
}
