package dev.feint.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * ONNX element types (TensorProto.DataType) and their conversion to Feint's float32: float16,
 * bfloat16 and double are converted; integers and booleans become floats, clamped to the int
 * range (INT64_MAX as an "until the end" marker stays the largest int), exact up to 2^24.
 */
final class DataType {
    static final int FLOAT = 1, UINT8 = 2, INT8 = 3, UINT16 = 4, INT16 = 5, INT32 = 6, INT64 = 7, STRING = 8, BOOL = 9,
            FLOAT16 = 10, DOUBLE = 11, UINT32 = 12, UINT64 = 13, BFLOAT16 = 16;

    private DataType() {}

    static boolean isFloat(int t) { return t == FLOAT || t == FLOAT16 || t == DOUBLE || t == BFLOAT16; }

    static boolean isInteger(int t) { return t == UINT8 || t == INT8 || t == UINT16 || t == INT16 || t == INT32 || t == INT64 || t == UINT32 || t == UINT64; }

    static String name(int t) {
        return switch (t) {
            case FLOAT -> "float"; case UINT8 -> "uint8"; case INT8 -> "int8"; case UINT16 -> "uint16"; case INT16 -> "int16";
            case INT32 -> "int32"; case INT64 -> "int64"; case STRING -> "string"; case BOOL -> "bool"; case FLOAT16 -> "float16";
            case DOUBLE -> "double"; case UINT32 -> "uint32"; case UINT64 -> "uint64"; case BFLOAT16 -> "bfloat16";
            default -> "type " + t;
        };
    }

    static int byteSize(int t, ProtoWalker w, String what) {
        return switch (t) {
            case FLOAT, INT32, UINT32 -> 4;
            case UINT8, INT8, BOOL -> 1;
            case UINT16, INT16, FLOAT16, BFLOAT16 -> 2;
            case INT64, DOUBLE, UINT64 -> 8;
            default -> throw w.bad(what + " has element type " + name(t) + ", which Feint does not read");
        };
    }

    static float clampLong(long v) {
        return v > Integer.MAX_VALUE ? Integer.MAX_VALUE : v < Integer.MIN_VALUE ? Integer.MIN_VALUE : (float) v;
    }

    static float[] fromLongs(long[] v) {
        float[] o = new float[v.length];
        for (int i = 0; i < v.length; i++) o[i] = clampLong(v[i]);
        return o;
    }

    static float[] fromHalfBits(int type, long[] bits) {
        float[] o = new float[bits.length];
        for (int i = 0; i < bits.length; i++) o[i] = half(type, (int) bits[i]);
        return o;
    }

    private static float half(int type, int bits) {
        return type == BFLOAT16 ? Float.intBitsToFloat((bits & 0xffff) << 16) : Float.float16ToFloat((short) bits);
    }

    /** Values rounded to float16 or bfloat16 (nearest, ties to even), as a Cast to them stores them; a constant. */
    static dev.feint.tensor.Tensor roundToHalf(int type, dev.feint.tensor.Tensor t) {
        float[] d = t.data().clone();
        for (int i = 0; i < d.length; i++) {
            if (type == FLOAT16) d[i] = Float.float16ToFloat(Float.floatToFloat16(d[i]));
            else if (!Float.isNaN(d[i])) {
                int b = Float.floatToRawIntBits(d[i]);
                d[i] = Float.intBitsToFloat((b + 0x7fff + ((b >>> 16) & 1)) & 0xffff0000);
            }
        }
        return new dev.feint.tensor.Tensor(t.shape(), d);
    }

    /** n elements of type t, little-endian from buf[off]; the caller checked the length. */
    static float[] decodeRaw(int t, byte[] buf, int off, int n) {
        ByteBuffer b = ByteBuffer.wrap(buf, off, buf.length - off).order(ByteOrder.LITTLE_ENDIAN);
        float[] o = new float[n];
        for (int i = 0; i < n; i++)
            o[i] = switch (t) {
                case FLOAT -> b.getFloat();
                case DOUBLE -> (float) b.getDouble();
                case INT64 -> clampLong(b.getLong());
                case UINT64 -> { long v = b.getLong(); yield v < 0 ? Integer.MAX_VALUE : clampLong(v); }
                case INT32 -> b.getInt();
                case UINT32 -> clampLong(b.getInt() & 0xffffffffL);
                case INT16 -> b.getShort();
                case UINT16 -> b.getShort() & 0xffff;
                case INT8 -> b.get();
                case UINT8 -> b.get() & 0xff;
                case BOOL -> b.get() != 0 ? 1f : 0f;
                case FLOAT16, BFLOAT16 -> half(t, b.getShort());
                default -> throw new IllegalStateException("unchecked type " + t);
            };
        return o;
    }
}
