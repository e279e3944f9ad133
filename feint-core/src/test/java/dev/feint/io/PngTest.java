package dev.feint.io;

import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class PngTest {
    @TempDir Path dir;

    @Test void grayscaleLevelsAndScale() throws IOException {
        Tensor img = Tensor.of(new float[] {0f, 0.5f, 1f, 2f, -1f, Float.NaN}, 1, 2, 3);
        Path f = dir.resolve("g.png");
        Png.write(f, img, 3);
        BufferedImage r = ImageIO.read(f.toFile());
        assertEquals(9, r.getWidth());
        assertEquals(6, r.getHeight());
        int[] want = {0, 128, 255, 255, 0, 0};
        for (int y = 0; y < 2; y++)
            for (int x = 0; x < 3; x++)
                for (int d = 0; d < 9; d++)
                    assertEquals(want[y * 3 + x], r.getRaster().getSample(x * 3 + d % 3, y * 3 + d / 3, 0), "pixel " + x + "," + y);
    }

    @Test void rgbChannels() throws IOException {
        Tensor img = Tensor.of(new float[] {1f, 0f, 0f, 1f, 0f, 0.2f}, 1, 3, 1, 2); // [1,C,H,W]
        BufferedImage r = ImageIO.read(new ByteArrayInputStream(Png.encode(img, 1)));
        assertEquals(0xff0000, r.getRGB(0, 0) & 0xffffff);
        assertEquals(0x00ff33, r.getRGB(1, 0) & 0xffffff);
    }

    @Test void stripPlacesImagesWithGap() {
        Tensor a = Tensor.full(0f, 1, 2, 2);
        Tensor b = Tensor.full(0.5f, 3, 1, 3);
        Tensor s = Png.strip(List.of(a, b), 1);
        assertArrayEquals(new int[] {3, 2, 6}, s.dims());
        assertEquals(0f, s.get(2, 1, 1), "gray promoted to every channel");
        assertEquals(1f, s.get(0, 0, 2), "gap is white");
        assertEquals(0.5f, s.get(1, 0, 3));
        assertEquals(1f, s.get(1, 1, 3), "shorter image padded with white");
        assertThrows(IllegalArgumentException.class, () -> Png.strip(List.of(Tensor.zeros(2, 2, 2)), 0));
    }
}
