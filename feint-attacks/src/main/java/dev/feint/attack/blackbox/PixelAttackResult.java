package dev.feint.attack.blackbox;

import dev.feint.attack.AttackResult;
import dev.feint.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An {@link AttackResult} with, per example, the pixels that differ from the input (any channel
 * by more than 1e-6, as the L0 of AttackResult counts) and their new values. Read off the final,
 * clipped output rather than the search's bookkeeping, so it is what the model was shown.
 *
 * @param result the attack's result
 * @param changed per example, the pixels that differ from the input
 */
public record PixelAttackResult(AttackResult result, List<List<ChangedPixel>> changed) {
    /**
     * One changed pixel: row, column and the new value of every channel.
     *
     * @param row the pixel's row
     * @param col the pixel's column
     * @param values the new value of every channel
     */
    public record ChangedPixel(int row, int col, float[] values) implements java.io.Serializable {
        /** {@return the pixel as JSON: {@code {"row", "col", "values"}}} */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("row", (long) row);
            m.put("col", (long) col);
            List<Object> v = new ArrayList<>();
            for (float f : values) v.add((double) f);
            m.put("values", v);
            return m;
        }
    }

    /**
     * Reads the changed pixels off a result.
     *
     * @param r the result of a pixel attack on {@code x}
     * @param x the inputs [n, c, h, w] the attack ran on
     * @return the result with its changed pixels
     */
    public static PixelAttackResult of(AttackResult r, Tensor x) {
        int n = x.dim(0), c = x.dim(1), h = x.dim(2), w = x.dim(3), d = c * h * w;
        float[] a = r.adversarial().data(), x0 = x.data();
        List<List<ChangedPixel>> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            List<ChangedPixel> px = new ArrayList<>();
            for (int p = 0; p < h * w; p++) {
                boolean diff = false;
                for (int ch = 0; ch < c && !diff; ch++) diff = Math.abs(a[i * d + ch * h * w + p] - x0[i * d + ch * h * w + p]) > 1e-6f;
                if (!diff) continue;
                float[] v = new float[c];
                for (int ch = 0; ch < c; ch++) v[ch] = a[i * d + ch * h * w + p];
                px.add(new ChangedPixel(p / w, p % w, v));
            }
            out.add(List.copyOf(px));
        }
        return new PixelAttackResult(r, List.copyOf(out));
    }

    /**
     * Changed pixels of example i (the pixel L0).
     *
     * @param i the example's position in the batch
     * @return the number of changed pixels
     */
    public int pixelL0(int i) { return changed.get(i).size(); }

    /**
     * Example i's changed pixels, JSON-ready: [{"row", "col", "values"}, ...].
     *
     * @param i the example's position in the batch
     * @return one map per changed pixel
     */
    public List<Map<String, Object>> json(int i) {
        List<Map<String, Object>> l = new ArrayList<>();
        for (ChangedPixel p : changed.get(i)) l.add(p.toMap());
        return l;
    }
}
