package dev.feint.attack.blackbox;

import dev.feint.attack.Criterion;
import dev.feint.attack.Misclassification;
import dev.feint.attack.TargetedMisclassification;
import dev.feint.model.Model;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One-pixel (d = 1, the paper's DE settings) against the exhaustive pixel search, on linear
 * models, grayscale and RGB. What is checked, and why it must hold: with logits affine in the
 * input, changing one pixel p moves every difference z_j - z_label affinely in p's channel
 * values, so its maximum over the box is at a corner of [lo, hi]^C. An untargeted success is
 * "some z_j - z_label >= 0 (> 0 for j after the label)", so if ANY value of pixel p succeeds,
 * some corner of p does, and pixel search tries them all. Hence, per example:
 * onepixel succeeded => pixel-search succeeded (exactly, no tolerance). Then, as a check of the
 * search rather than a theorem: DE finds at least 80% of what pixel search finds, and pixel
 * search itself is non-trivial here (it breaks some examples and not others).
 */
class PixelConsistencyTest {
    @ParameterizedTest(name = "channels = {0}")
    @ValueSource(ints = {1, 3})
    void onePixelFindsNothingPixelSearchMissesOnAffineLogits(int c) {
        int h = c == 1 ? 8 : 6, w = h, n = 30, k = c == 1 ? 3 : 4;
        Model m = Fixtures.linear(c, h, w, k, 1f, 40 + c);
        Tensor x = Fixtures.uniformImages(n, c, h, w, 50 + c);
        Criterion crit = new Misclassification(m.predict(x));
        PixelAttackResult ps = PixelSearch.builder().build().runPixels(m, x, crit);
        PixelAttackResult op = OnePixelAttack.builder().seed(1).build().runPixels(m, x, crit);
        int found = 0, de = 0;
        for (int i = 0; i < n; i++) {
            boolean s = ps.result().success()[i], o = op.result().success()[i];
            assertTrue(!o || s, "example " + i + ": one-pixel succeeded where pixel search did not");
            if (s) found++;
            if (o) de++;
            assertTrue(op.pixelL0(i) <= 1 && ps.pixelL0(i) <= 1);
            for (PixelAttackResult.ChangedPixel p : ps.changed().get(i))
                for (float v : p.values()) assertTrue(v == 0f || v == 1f, "pixel search set a non-extreme value " + v);
        }
        assertTrue(found > 0 && found < n, "pixel search broke " + found + " of " + n + ": the check would be vacuous");
        assertTrue(de >= 0.8 * found, "one-pixel found " + de + " of pixel search's " + found);
        // Pixel search is exhaustive: it used exactly H * W * 2^C queries (plus the clean check) on every example it attacked.
        for (int i = 0; i < n; i++) assertTrue(ps.result().queries()[i] == 1 + h * w * (1 << c));
    }

    @ParameterizedTest(name = "channels = {0}")
    @ValueSource(ints = {1, 3})
    void targetedOnePixelRaisesTheTargetAndChangesOnePixel(int c) {
        int h = c == 1 ? 8 : 6, n = 12, k = 3;
        Model m = Fixtures.linear(c, h, h, k, 1f, 60 + c);
        Tensor x = Fixtures.uniformImages(n, c, h, h, 70 + c);
        int[] y = m.predict(x), t = new int[n];
        for (int i = 0; i < n; i++) t[i] = (y[i] + 1) % k;
        PixelAttackResult op = OnePixelAttack.builder().population(100).generations(30).seed(2).build()
                .runPixels(m, x, new TargetedMisclassification(t, y));
        int ok = 0;
        for (int i = 0; i < n; i++) {
            assertTrue(op.pixelL0(i) <= 1);
            if (op.result().success()[i]) {
                ok++;
                assertTrue(op.result().predictions()[i] == t[i]);
            }
        }
        assertTrue(ok > 0, "no target reached");
    }
}
