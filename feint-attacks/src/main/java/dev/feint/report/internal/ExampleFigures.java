package dev.feint.report.internal;

import dev.feint.autograd.Softmax;
import dev.feint.data.Dataset;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.ExampleResult;
import dev.feint.io.Png;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * The seed's figure (original | amplified perturbation | adversarial, each with its predicted
 * class and confidence), and one-pixel examples with the changed pixels outlined. Images are
 * embedded as PNG data URIs so the page needs no other file.
 */
final class ExampleFigures {
    private static final int SCALE = 4;

    private ExampleFigures() {}

    /**
     * Up to {@code max} successful examples (clean prediction right, adversarial wrong) among the
     * first {@code available} (those the report's dataset holds: a run may cover more, e.g. the
     * demo's one-pixel run).
     */
    static List<Integer> pick(AttackOutcome o, int max, int available) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < Math.min(available, o.examples().size()) && out.size() < max; i++) {
            ExampleResult e = o.examples().get(i);
            if (e.cleanCorrect() && e.success() && e.adversarialPrediction() != e.label()) out.add(i);
        }
        return out;
    }

    /** The figures of up to {@code max} examples; only their clean images are read from {@code data}. */
    static String triptychs(AttackOutcome o, Dataset data, Model model, List<String> classes, int max) {
        List<Integer> idx = pick(o, max, data.size());
        if (idx.isEmpty()) return "<p class=\"note\">No successful example to show for this attack.</p>";
        StringBuilder b = new StringBuilder("<div class=\"figs\">");
        int[] ex = data.exampleShape(), shape = {1, ex[0], ex[1], ex[2]};
        int d = ex[0] * ex[1] * ex[2];
        for (int i : idx) {
            ExampleResult e = o.examples().get(i);
            float[] x = data.example(i).data();
            float[] a = java.util.Arrays.copyOfRange(o.adversarial().data(), i * d, (i + 1) * d);
            float amp = 0;
            for (int k = 0; k < d; k++) amp = Math.max(amp, Math.abs(a[k] - x[k]));
            float[] p = new float[d];
            for (int k = 0; k < d; k++) p[k] = amp == 0 ? 0.5f : 0.5f + 0.5f * (a[k] - x[k]) / amp;
            float cleanConf = confidence(model, Tensor.of(x, shape), e.cleanPrediction());
            b.append("<figure class=\"fig\">")
                    .append(img(Tensor.of(x, shape), classes.get(e.cleanPrediction()) + " " + pctText(cleanConf)))
                    .append(img(Tensor.of(p, shape), String.format(Locale.ROOT, "perturbation x%.0f", amp == 0 ? 1 : 0.5f / amp)))
                    .append(img(Tensor.of(a, shape), classes.get(e.adversarialPrediction()) + " " + pctText(e.confidence())))
                    .append(String.format(Locale.ROOT, "<figcaption>#%d: %s &rarr; %s, Linf %.3f, L2 %.3f</figcaption>",
                            e.index(), Html.esc(classes.get(e.label())), Html.esc(classes.get(e.adversarialPrediction())), e.linf(), e.l2()))
                    .append("</figure>");
        }
        return b.append("</div>").toString();
    }

    /** Adversarial images with every changed pixel outlined, white inside black (one shows on any colour), for the pixel attacks. */
    static String pixelMarks(AttackOutcome o, Dataset data, List<String> classes, int max) {
        List<Integer> idx = pick(o, max, data.size());
        if (idx.isEmpty()) return "<p class=\"note\">No successful example to show for this attack.</p>";
        int[] ex = data.exampleShape();
        int c = ex[0], h = ex[1], w = ex[2], d = c * h * w, s = 8;
        StringBuilder b = new StringBuilder("<div class=\"figs\">");
        for (int i : idx) {
            ExampleResult e = o.examples().get(i);
            float[] x = data.example(i).data();
            float[] a = java.util.Arrays.copyOfRange(o.adversarial().data(), i * d, (i + 1) * d);
            StringBuilder marks = new StringBuilder();
            for (int y = 0; y < h; y++)
                for (int xx = 0; xx < w; xx++) {
                    boolean changed = false;
                    for (int ch = 0; ch < c; ch++) changed |= a[(ch * h + y) * w + xx] != x[(ch * h + y) * w + xx];
                    if (changed)
                        marks.append(String.format(Locale.ROOT, "<rect class=\"px\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>"
                                + "<rect class=\"px-in\" x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\"/>",
                                xx * s - 2, y * s - 2, s + 4, s + 4, xx * s - 1, y * s - 1, s + 2, s + 2));
                }
            String uri = dataUri(Tensor.of(a, 1, c, h, w), s);
            b.append("<figure class=\"fig\">")
                    .append(String.format(Locale.ROOT, "<svg width=\"%d\" height=\"%d\" viewBox=\"-3 -3 %d %d\" xmlns=\"http://www.w3.org/2000/svg\">"
                            + "<image href=\"%s\" x=\"0\" y=\"0\" width=\"%d\" height=\"%d\"/>%s</svg>",
                            w * s + 6, h * s + 6, w * s + 6, h * s + 6, uri, w * s, h * s, marks))
                    .append(String.format(Locale.ROOT, "<figcaption>#%d: %s &rarr; %s %s, %d pixel(s)</figcaption>",
                            e.index(), Html.esc(classes.get(e.label())), Html.esc(classes.get(e.adversarialPrediction())),
                            pctText(e.confidence()), (int) e.l0()))
                    .append("</figure>");
        }
        return b.append("</div>").toString();
    }

    private static float confidence(Model model, Tensor x, int cls) {
        try (var ng = dev.feint.autograd.Grad.noGrad()) {
            return Softmax.softmax(model.logits(x)).data()[cls];
        }
    }

    private static String pctText(float f) { return String.format(Locale.ROOT, "%.1f%%", 100 * f); }

    private static String img(Tensor t, String caption) {
        return "<div class=\"im\"><img alt=\"" + Html.esc(caption) + "\" src=\"" + dataUri(t, SCALE) + "\"><span>" + Html.esc(caption) + "</span></div>";
    }

    static String dataUri(Tensor t, int scale) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(Png.encode(t, scale));
    }
}
