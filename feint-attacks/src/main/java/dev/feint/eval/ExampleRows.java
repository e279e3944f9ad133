package dev.feint.eval;

import dev.feint.attack.blackbox.PixelAttackResult.ChangedPixel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Results written to disk and read back bit for bit, for the files that let an evaluation
 * resume ({@link EvalJournal}, the per-partition results of a distributed run): an
 * {@link ExampleResult} as a JSON row with every float as its raw bits, and float rows as
 * base64 little-endian float32. A row read back equals the one written, so a resumed run's
 * report equals an uninterrupted one's.
 */
public final class ExampleRows {
    private ExampleRows() {}

    /**
     * [index, label, target, attacked, clean, adversarial, success, confidence, linf, l2, l0,
     * size, queries, gradients] (floats as raw bits), then the changed pixels (or null) when the
     * example has pixels or a breaking stage, then the breaking stage when it has one.
     *
     * @param e the example
     * @return its row
     */
    public static List<Object> toRow(ExampleResult e) {
        List<Object> r = new ArrayList<>(List.of((long) e.index(), (long) e.label(), (long) e.target(), e.attacked(),
                (long) e.cleanPrediction(), (long) e.adversarialPrediction(), e.success(), bits(e.confidence()), bits(e.linf()),
                bits(e.l2()), bits(e.l0()), bits(e.size()), (long) e.queries(), (long) e.gradients()));
        if (e.pixels() != null || e.brokenBy() != null) {
            List<Object> px = null;
            if (e.pixels() != null) {
                px = new ArrayList<>();
                for (ChangedPixel p : e.pixels()) {
                    List<Object> one = new ArrayList<>(List.of((long) p.row(), (long) p.col()));
                    for (float v : p.values()) one.add(bits(v));
                    px.add(one);
                }
            }
            r.add(px);
        }
        if (e.brokenBy() != null) r.add(e.brokenBy());
        return r;
    }

    /**
     * The example of a row of {@link #toRow}. A malformed row throws ClassCastException,
     * NullPointerException or IndexOutOfBoundsException, which the reader turns into its file's message.
     *
     * @param r a row
     * @return the example
     */
    public static ExampleResult fromRow(List<?> r) {
        List<ChangedPixel> px = null;
        if (r.size() > 14 && r.get(14) != null) {
            px = new ArrayList<>();
            for (Object o : (List<?>) r.get(14)) {
                List<?> p = (List<?>) o;
                float[] v = new float[p.size() - 2];
                for (int i = 0; i < v.length; i++) v[i] = flt(p.get(i + 2));
                px.add(new ChangedPixel(integer(p.get(0)), integer(p.get(1)), v));
            }
        }
        String brokenBy = r.size() > 15 ? (String) r.get(15) : null;
        return new ExampleResult(integer(r.get(0)), integer(r.get(1)), integer(r.get(2)), (Boolean) r.get(3), integer(r.get(4)),
                integer(r.get(5)), (Boolean) r.get(6), flt(r.get(7)), flt(r.get(8)), flt(r.get(9)), flt(r.get(10)), flt(r.get(11)),
                integer(r.get(12)), integer(r.get(13)), px, brokenBy);
    }

    /**
     * {@code length} floats of {@code values} from {@code offset}, as base64 little-endian float32.
     *
     * @param values the array
     * @param offset the first float
     * @param length how many floats
     * @return the base64 text
     */
    public static String floats(float[] values, int offset, int length) {
        ByteBuffer b = ByteBuffer.allocate(length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values, offset, length);
        return Base64.getEncoder().encodeToString(b.array());
    }

    /**
     * The floats of {@link #floats(float[], int, int)}; bad base64 throws IllegalArgumentException.
     *
     * @param base64 the text
     * @return the floats
     */
    public static float[] floats(String base64) {
        byte[] raw = Base64.getDecoder().decode(base64);
        if (raw.length % 4 != 0) throw new IllegalArgumentException("float32 data of " + raw.length + " bytes");
        float[] out = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    private static Object bits(float f) { return (long) Float.floatToRawIntBits(f); }

    private static float flt(Object o) { return Float.intBitsToFloat(integer(o)); }

    private static int integer(Object o) { return (int) (long) (Long) o; }
}
