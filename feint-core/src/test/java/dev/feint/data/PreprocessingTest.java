package dev.feint.data;

import dev.feint.FeintException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class PreprocessingTest {
    /** x[i] = (i * 37 % 101) / 100 on a 5 x 7 image: the input of the PIL reference values below. */
    private static float[] input() {
        float[] x = new float[35];
        for (int i = 0; i < 35; i++) x[i] = (i * 37 % 101) / 100f;
        return x;
    }

    // PIL 9 (Debian), Image.fromarray(x, mode='F').resize((4, 3), Image.BILINEAR), antialiased; torchvision's
    // F.resize(t, 3) gives the same 3 x 4 size (int(3 * 7 / 5) = 4).
    private static final float[] PIL_DOWN = {0.41748300194740295f, 0.5059999823570251f, 0.37302857637405396f, 0.5253061056137085f,
            0.4306878447532654f, 0.5629333257675171f, 0.47164443135261536f, 0.6278306841850281f, 0.4362584948539734f,
            0.62371426820755f, 0.4618857204914093f, 0.48224490880966187f};
    // ... .resize((11, 8)): the upscale to shorter side 8; first row
    private static final float[] PIL_UP_ROW0 = {0.0f, 0.16818182170391083f, 0.4036363661289215f, 0.639090895652771f, 0.5072727203369141f,
            0.10000000149011612f, 0.3354545533657074f, 0.5709090828895569f, 0.8063636422157288f, 0.49090906977653503f, 0.20000000298023224f};

    @Test void resizeMatchesPilsAntialiasedBilinear() {
        Preprocessing down = new Preprocessing(3, 0, 0, 0);
        assertArrayEquals(new int[] {1, 3, 4}, down.outputShape(new int[] {1, 5, 7}));
        assertArrayEquals(PIL_DOWN, down.apply(input(), 1, 5, 7), 1e-5f);
        float[] up = new Preprocessing(8, 0, 0, 0).apply(input(), 1, 5, 7);
        assertEquals(8 * 11, up.length);
        assertArrayEquals(PIL_UP_ROW0, java.util.Arrays.copyOf(up, 11), 1e-5f);
    }

    @Test void sameSizePassesBitForBitAndCropIsCentred() {
        float[] x = input();
        assertSame(x, new Preprocessing(5, 5, 7, 1).apply(x, 1, 5, 7), "nothing to do: the same array");
        float[] c = new Preprocessing(0, 3, 4, 0).apply(x, 1, 5, 7);
        // torchvision: top = round((5 - 3) / 2) = 1, left = round((7 - 4) / 2) = round(1.5) = 2
        assertEquals(x[7 + 2], c[0]);
        assertEquals(x[3 * 7 + 5], c[11]);
    }

    @Test void channels() {
        float[] g = {0.2f, 0.4f};
        float[] rgb = new Preprocessing(0, 0, 0, 3).apply(g, 1, 1, 2);
        assertArrayEquals(new float[] {0.2f, 0.4f, 0.2f, 0.4f, 0.2f, 0.4f}, rgb);
        float[] back = new Preprocessing(0, 0, 0, 1).apply(new float[] {1, 0, 0, 1, 0, 0}, 3, 1, 2);
        assertArrayEquals(new float[] {0.299f, 0.587f}, back, 1e-6f);
    }

    @Test void fitAndBadValues() {
        Preprocessing p = Preprocessing.fit(new int[] {3, 32, 32});
        assertArrayEquals(new int[] {3, 32, 32}, p.outputShape(new int[] {1, 28, 28}));
        assertArrayEquals(new int[] {3, 32, 32}, p.outputShape(new int[] {3, 480, 640}));
        FeintException e = assertThrows(FeintException.class, () -> new Preprocessing(0, 40, 40, 0).outputShape(new int[] {1, 28, 28}));
        assertTrue(e.getMessage().contains("crop 40x40 of a 28x28 image"), e.getMessage());
        assertThrows(FeintException.class, () -> new Preprocessing(-1, 0, 0, 0));
        assertThrows(FeintException.class, () -> new Preprocessing(0, 0, 0, 2));
        assertThrows(FeintException.class, () -> new Preprocessing(0, 3, 0, 0));
    }
}
