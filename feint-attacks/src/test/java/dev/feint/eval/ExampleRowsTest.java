package dev.feint.eval;

import dev.feint.attack.blackbox.PixelAttackResult.ChangedPixel;
import dev.feint.io.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Rows written as JSON read back to equal examples: every float's bits, pixels and the breaking stage kept. */
class ExampleRowsTest {
    private static ExampleResult roundTrip(ExampleResult e) {
        return ExampleRows.fromRow((List<?>) Json.parse(Json.write(ExampleRows.toRow(e))));
    }

    @Test
    void everyFieldSurvivesBitForBit() {
        float nan = Float.intBitsToFloat(0x7fc00123);   // a NaN with a payload, which JSON numbers could not carry
        ExampleResult plain = new ExampleResult(7, 3, -1, true, 3, 5, true, 0.1f, 0.03137255f, nan, 412, -0.0f, 11, 20);
        ExampleResult pixels = new ExampleResult(8, 1, 2, true, 1, 2, true, 0.9f, 1f, 1.5f, 2, 2f, 400, 0,
                List.of(new ChangedPixel(3, 4, new float[] {0.25f, Float.MIN_VALUE})), null);
        ExampleResult staged = new ExampleResult(9, 0, -1, true, 0, 4, true, 0.5f, 0.1f, 1f, 30, 0.1f, 0, 100, null, "apgd-t");
        for (ExampleResult e : List.of(plain, pixels, staged)) {
            ExampleResult back = roundTrip(e);
            assertEquals(e.toMap(), back.toMap(), "the per-example JSON");
            assertEquals(Float.floatToRawIntBits(e.l2()), Float.floatToRawIntBits(back.l2()), "raw bits, NaN payload included");
            assertEquals(Float.floatToRawIntBits(e.size()), Float.floatToRawIntBits(back.size()), "-0.0 stays -0.0");
            assertEquals(e.brokenBy(), back.brokenBy());
        }
        assertArrayEquals(new float[] {0.25f, Float.MIN_VALUE}, roundTrip(pixels).pixels().get(0).values());
        assertNull(roundTrip(staged).pixels());
        assertEquals("apgd-t", roundTrip(staged).brokenBy(), "the stage that broke an AutoAttack example");
    }

    @Test
    void floatRowsSurviveBitForBit() {
        float[] v = {1f, -0f, Float.NaN, Float.MAX_VALUE, 3e-42f};
        float[] back = ExampleRows.floats(ExampleRows.floats(v, 1, 4));
        assertEquals(4, back.length);
        for (int i = 0; i < 4; i++) assertEquals(Float.floatToRawIntBits(v[i + 1]), Float.floatToRawIntBits(back[i]));
    }
}
