package dev.feint.tensor.kernels;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ClampMask} against the scalar clamp and mask, bit for bit. */
class ClampMaskTest {
    @Test
    void matchesTheScalarClampAndMaskOnOddLengthsAndEdgeValues() {
        Random r = new Random(3);
        float[] special = {Float.NaN, -0f, 0f, 6f, -1f, 7f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Math.nextDown(6f), Math.nextUp(0f)};
        for (int len : new int[] {0, 1, 7, 16, 17, 33, 100, 1001}) {
            float[] v = new float[len];
            for (int i = 0; i < len; i++) v[i] = r.nextInt(4) == 0 ? special[r.nextInt(special.length)] : r.nextFloat() * 10 - 2;
            float[] want = v.clone(), got = v.clone();
            boolean[] wantIn = new boolean[len], gotIn = new boolean[len];
            for (int i = 0; i < len; i++) {
                float x = want[i];
                wantIn[i] = x >= 0f && x <= 6f;
                want[i] = x < 0f ? 0f : (x > 6f ? 6f : x);
            }
            ClampMask.clamp(got, 0f, 6f, gotIn);
            for (int i = 0; i < len; i++) assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]), "clamp at " + i + " of " + len + ": " + v[i]);
            assertArrayEquals(wantIn, gotIn, "mask, length " + len);
            float[] g = new float[len];
            for (int i = 0; i < len; i++) g[i] = r.nextFloat() - 0.5f;
            float[] wantG = new float[len];
            for (int i = 0; i < len; i++) if (wantIn[i]) wantG[i] = g[i];
            assertArrayEquals(wantG, ClampMask.masked(g, gotIn), "masked gradient, length " + len);
            float[] noMask = v.clone();
            ClampMask.clamp(noMask, 0f, 6f, null);
            assertArrayEquals(got, noMask, "without a mask, length " + len);
        }
    }
}
