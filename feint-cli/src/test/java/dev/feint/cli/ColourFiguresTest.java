package dev.feint.cli;

import dev.feint.attack.blackbox.OnePixelAttack;
import dev.feint.attack.blackbox.PixelAttackResult.ChangedPixel;
import dev.feint.data.Dataset;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.ExampleResult;
import dev.feint.model.NetworkModel;
import dev.feint.nn.Network;
import dev.feint.nn.Presets;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The attack figure in colour: original | amplified perturbation | adversarial in RGB, a changed pixel ringed white and black. */
class ColourFiguresTest {
    static final int C = 3, H = 5, W = 6, SCALE = 4, GAP = 2;

    static final int ROW = 2, COL = 3;

    /** (r, g, b) of image pixel (row, col) of panel p, read in its 4x4 block on the side away from the ring around (ROW, COL). */
    static int rgb(BufferedImage img, int panel, int row, int col) {
        int dy = row < ROW ? 0 : row > ROW ? SCALE - 1 : SCALE / 2, dx = col < COL ? 0 : col > COL ? SCALE - 1 : SCALE / 2;
        return img.getRGB((panel * (W + GAP) + col) * SCALE + dx, row * SCALE + dy) & 0xffffff;
    }

    static int level(float v) { return Math.round(v * 255f); }

    @Test void colourStripWithTheChangedPixelOutlined() throws IOException {
        float[] x = new float[2 * C * H * W];
        for (int i = 0; i < x.length; i++) x[i] = 0.2f + 0.6f * ((i * 37) % 11) / 10f;
        float[] adv = x.clone();
        int row = ROW, col = COL;
        float[] magenta = {1, 0, 1};
        for (int ch = 0; ch < C; ch++) adv[(ch * H + row) * W + col] = magenta[ch];
        Dataset d = new Dataset("colour", Tensor.of(x, 2, C, H, W), new int[] {0, 1}, 3, List.of("a", "b", "c"));
        NetworkModel m = NetworkModel.of(Network.create(Presets.get("mlp", C, H, W, 3), 1));
        List<ExampleResult> ex = new ArrayList<>();
        ex.add(new ExampleResult(0, 0, -1, true, 0, 1, true, 0.9f, 0.8f, 1f, 3, 0.8f, 10, 0,
                List.of(new ChangedPixel(row, col, magenta))));
        ex.add(new ExampleResult(1, 1, -1, true, 1, 1, false, 0.9f, 0, 0, 0, 0, 10, 0, List.of()));
        AttackOutcome o = new AttackOutcome(OnePixelAttack.builder().pixels(1).build(), false, Tensor.of(adv, 2, C, H, W), ex, 0);
        Map<String, byte[]> files = AttackFigures.render(o, d, m, List.of("a", "b", "c"), 2);
        List<String> pngs = files.keySet().stream().filter(f -> f.endsWith(".png")).toList();
        assertEquals(2, pngs.size());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(files.get(pngs.get(0))));
        assertEquals(((3 * W + 2 * GAP) * SCALE), img.getWidth());
        assertEquals(H * SCALE, img.getHeight());
        int hw = H * W;
        float amp = 0;
        for (int ch = 0; ch < C; ch++) amp = Math.max(amp, Math.abs(magenta[ch] - x[ch * hw + row * W + col]));
        for (int r = 0; r < H; r++)
            for (int c = 0; c < W; c++) {
                int want = level(x[r * W + c]) << 16 | level(x[hw + r * W + c]) << 8 | level(x[2 * hw + r * W + c]);
                assertEquals(want, rgb(img, 0, r, c), "original in RGB at " + r + ", " + c);
                boolean changed = r == row && c == col;
                assertEquals(changed ? 0xff00ff : want, rgb(img, 2, r, c), "adversarial at " + r + ", " + c);
                int grey = level(0.5f);
                int pert = changed ? level(0.5f + 0.5f * (1 - x[r * W + c]) / amp) << 16 | level(0.5f + 0.5f * (0 - x[hw + r * W + c]) / amp) << 8
                        | level(0.5f + 0.5f * (1 - x[2 * hw + r * W + c]) / amp) : grey << 16 | grey << 8 | grey;
                assertEquals(pert, rgb(img, 1, r, c), "perturbation at " + r + ", " + c);
            }
        for (int panel = 0; panel < 3; panel++) {
            int x0 = (panel * (W + GAP) + col) * SCALE, y0 = row * SCALE;
            assertEquals(0xffffff, img.getRGB(x0 + 1, y0 - 1) & 0xffffff, "white ring above the pixel, panel " + panel);
            assertEquals(0xffffff, img.getRGB(x0 + SCALE, y0 + 2) & 0xffffff, "white ring right of it");
            assertEquals(0, img.getRGB(x0 + 1, y0 - 2) & 0xffffff, "black ring outside the white one");
            assertEquals(0, img.getRGB(x0 - 2, y0 + SCALE + 1) & 0xffffff, "black ring, lower left corner");
        }
        BufferedImage plain = ImageIO.read(new ByteArrayInputStream(files.get(pngs.get(1))));
        int x0 = (2 * (W + GAP) + col) * SCALE, y0 = row * SCALE;
        int want = level(x[C * hw + (row - 1) * W + col]) << 16 | level(x[C * hw + hw + (row - 1) * W + col]) << 8
                | level(x[C * hw + 2 * hw + (row - 1) * W + col]);
        assertEquals(want, plain.getRGB(x0 + 1, y0 - 1) & 0xffffff, "no ring where nothing changed");
    }
}
