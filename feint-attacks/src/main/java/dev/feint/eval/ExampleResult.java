package dev.feint.eval;

import dev.feint.attack.blackbox.PixelAttackResult.ChangedPixel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One example's outcome. {@code target} is -1 when untargeted (null in JSON);
 * {@code attacked} is false for an example a targeted run could not target (its label is the
 * fixed target class): it is left unchanged and counts as a failure. {@code size} is the
 * perturbation in the attack's norm; confidence is the softmax probability of the adversarial
 * prediction. {@code pixels} lists the changed pixels for pixel attacks (onepixel,
 * pixel-search) and is null for every other attack. {@code brokenBy} names the stage of a
 * composite attack (AutoAttack) that broke the example, null otherwise. Serializable, so that the
 * parts of a distributed run travel back to be merged.
 *
 * @param index the example's position in the evaluated data
 * @param label the true class
 * @param target the target class of a targeted run, -1 when untargeted
 * @param attacked false when a targeted run could not target the example (left unchanged)
 * @param cleanPrediction the class predicted on the clean input
 * @param adversarialPrediction the class predicted on the adversarial input
 * @param success whether the attack's criterion was met (re-verified by a fresh forward pass)
 * @param confidence the softmax probability of the adversarial prediction
 * @param linf the L-infinity norm of the perturbation
 * @param l2 the L2 norm of the perturbation
 * @param l0 the number of changed input values
 * @param size the perturbation in the attack's own norm
 * @param queries the model queries the attack spent on this example
 * @param gradients the input gradients the attack spent on this example
 * @param pixels the changed pixels of a pixel attack, null for every other attack
 * @param brokenBy the stage of a composite attack that broke the example, null otherwise
 */
public record ExampleResult(int index, int label, int target, boolean attacked, int cleanPrediction,
                            int adversarialPrediction, boolean success, float confidence, float linf, float l2, float l0,
                            float size, int queries, int gradients, List<ChangedPixel> pixels, String brokenBy)
        implements java.io.Serializable {
    /** Copies {@code pixels}, so that the record stays immutable. */
    public ExampleResult {
        pixels = pixels == null ? null : List.copyOf(pixels);
    }

    /**
     * An example of a single (not composite) attack.
     *
 * @param index the example's position in the evaluated data
 * @param label the true class
 * @param target the target class of a targeted run, -1 when untargeted
 * @param attacked false when a targeted run could not target the example (left unchanged)
 * @param cleanPrediction the class predicted on the clean input
 * @param adversarialPrediction the class predicted on the adversarial input
 * @param success whether the attack's criterion was met (re-verified by a fresh forward pass)
 * @param confidence the softmax probability of the adversarial prediction
 * @param linf the L-infinity norm of the perturbation
 * @param l2 the L2 norm of the perturbation
 * @param l0 the number of changed input values
 * @param size the perturbation in the attack's own norm
 * @param queries the model queries the attack spent on this example
 * @param gradients the input gradients the attack spent on this example
 * @param pixels the changed pixels of a pixel attack, null for every other attack
     */
    public ExampleResult(int index, int label, int target, boolean attacked, int cleanPrediction, int adversarialPrediction,
                         boolean success, float confidence, float linf, float l2, float l0, float size, int queries, int gradients,
                         List<ChangedPixel> pixels) {
        this(index, label, target, attacked, cleanPrediction, adversarialPrediction, success, confidence, linf, l2, l0, size,
                queries, gradients, pixels, null);
    }

    /**
     * An example of a run that does not report pixels (every attack but the pixel attacks).
     *
 * @param index the example's position in the evaluated data
 * @param label the true class
 * @param target the target class of a targeted run, -1 when untargeted
 * @param attacked false when a targeted run could not target the example (left unchanged)
 * @param cleanPrediction the class predicted on the clean input
 * @param adversarialPrediction the class predicted on the adversarial input
 * @param success whether the attack's criterion was met (re-verified by a fresh forward pass)
 * @param confidence the softmax probability of the adversarial prediction
 * @param linf the L-infinity norm of the perturbation
 * @param l2 the L2 norm of the perturbation
 * @param l0 the number of changed input values
 * @param size the perturbation in the attack's own norm
 * @param queries the model queries the attack spent on this example
 * @param gradients the input gradients the attack spent on this example
     */
    public ExampleResult(int index, int label, int target, boolean attacked, int cleanPrediction, int adversarialPrediction,
                         boolean success, float confidence, float linf, float l2, float l0, float size, int queries, int gradients) {
        this(index, label, target, attacked, cleanPrediction, adversarialPrediction, success, confidence, linf, l2, l0, size,
                queries, gradients, null, null);
    }

    /** {@return whether the clean input was classified correctly} */
    public boolean cleanCorrect() { return cleanPrediction == label; }

    /** {@return the pixels changed (all channels of a pixel count once), or -1 when the run does not report pixels} */
    public int pixelL0() { return pixels == null ? -1 : pixels.size(); }

    /** {@return whether the example is robust against a fixed-eps run: still classified correctly} */
    public boolean robust() { return attacked ? adversarialPrediction == label : cleanCorrect(); }

    /**
     * Robust at radius eps for a minimum-norm run: no misclassification found within eps.
     *
     * @param eps the radius in the attack's norm
     * @return whether the clean prediction was correct and no adversarial example was found within {@code eps}
     */
    public boolean robustWithin(float eps) {
        if (!cleanCorrect()) return false;
        return !(attacked && adversarialPrediction != label && size <= eps * (1 + 1e-6f));
    }

    /** {@return the example in the stable per-example JSON schema of docs/FORMATS.md; pixel attacks add pixelL0 and pixels} */
    public Map<String, Object> toMap() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("index", (long) index);
        m.put("label", (long) label);
        m.put("target", target < 0 ? null : (Object) (long) target);
        m.put("cleanPrediction", (long) cleanPrediction);
        m.put("adversarialPrediction", (long) adversarialPrediction);
        // An example the model already got wrong was not fooled by the attack: say so, rather than
        // "success" with a zero perturbation that a reader of the file cannot tell from a real one.
        m.put("misclassifiedBeforeAttack", !cleanCorrect());
        m.put("success", success && cleanCorrect());
        m.put("confidence", (double) confidence);
        m.put("linf", (double) linf);
        m.put("l2", (double) l2);
        m.put("l0", (long) l0);
        m.put("queries", (long) queries);
        if (brokenBy != null) m.put("brokenBy", brokenBy);
        if (pixels != null) {
            m.put("pixelL0", (long) pixels.size());
            List<Object> px = new ArrayList<>(pixels.size());
            for (ChangedPixel p : pixels) px.add(p.toMap());
            m.put("pixels", px);
        }
        return m;
    }
}
