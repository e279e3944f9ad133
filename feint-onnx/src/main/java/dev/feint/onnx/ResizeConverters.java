package dev.feint.onnx;

import dev.feint.autograd.Indexing;
import dev.feint.nn.Graph;
import dev.feint.tensor.Tensor;

import java.util.Map;

/**
 * Resize (opset 10+) and Upsample (7-9) with nearest and linear modes, one axis at a time: nearest
 * gathers, linear blends two gathers with per-position weights, so gradients flow to the input.
 */
final class ResizeConverters {
    private ResizeConverters() {}

    static void register(Map<String, Converter> m) {
        m.put("Resize", ResizeConverters::resize);
        m.put("Upsample", ResizeConverters::upsample);
    }

    private enum Coord { HALF_PIXEL, PYTORCH_HALF_PIXEL, ALIGN_CORNERS, ASYMMETRIC, TF_HALF_PIXEL_FOR_NN }

    private enum Round { PREFER_FLOOR, PREFER_CEIL, FLOOR, CEIL }

    private static boolean linear(OnnxNode n) {
        String mode = n.s("mode", "nearest");
        return switch (mode) {
            case "nearest" -> false;
            case "linear", "bilinear" -> true;
            default -> throw n.fail("mode '" + mode + "' is not supported (nearest, linear)");
        };
    }

    private static Graph.Op resize(OnnxNode n) {
        boolean lin = linear(n);
        if (n.i("antialias", 0) != 0) throw n.fail("antialias is not supported");
        if (n.has("axes")) throw n.fail("the axes attribute is not supported");
        if (!n.s("keep_aspect_ratio_policy", "stretch").equals("stretch")) throw n.fail("keep_aspect_ratio_policy other than stretch is not supported");
        String cm = n.s("coordinate_transformation_mode", n.opset < 11 ? "asymmetric" : "half_pixel");
        Coord coord = switch (cm) {
            case "half_pixel" -> Coord.HALF_PIXEL;
            case "pytorch_half_pixel" -> Coord.PYTORCH_HALF_PIXEL;
            case "align_corners" -> Coord.ALIGN_CORNERS;
            case "asymmetric" -> Coord.ASYMMETRIC;
            case "tf_half_pixel_for_nn" -> Coord.TF_HALF_PIXEL_FOR_NN;
            default -> throw n.fail("coordinate_transformation_mode '" + cm + "' is not supported");
        };
        String nm = n.s("nearest_mode", "round_prefer_floor");
        Round round = switch (nm) {
            case "round_prefer_floor" -> Round.PREFER_FLOOR;
            case "round_prefer_ceil" -> Round.PREFER_CEIL;
            case "floor" -> Round.FLOOR;
            case "ceil" -> Round.CEIL;
            default -> throw n.fail("nearest_mode '" + nm + "' is not supported");
        };
        int scalesAt = n.opset < 11 ? 1 : 2, sizesAt = 3;
        return (in, tr) -> {
            Tensor x = in[0];
            float[] scales = in.length > scalesAt && in[scalesAt] != null && in[scalesAt].size() > 0 ? in[scalesAt].data() : null;
            int[] sizes = in.length > sizesAt && in[sizesAt] != null && in[sizesAt].size() > 0 ? Values.ints(in[sizesAt]) : null;
            return NnConverters.one(apply(n, x, scales, sizes, lin, coord, round));
        };
    }

    private static Graph.Op upsample(OnnxNode n) {
        boolean lin = linear(n);
        float[] attr = n.opset < 9 ? n.floats("scales", null) : null;
        return (in, tr) -> NnConverters.one(apply(n, in[0], attr != null ? attr : in[1].data(), null, lin, Coord.ASYMMETRIC, Round.FLOOR));
    }

    private static Tensor apply(OnnxNode n, Tensor x, float[] scales, int[] sizes, boolean lin, Coord coord, Round round) {
        int r = x.rank();
        if (scales == null && sizes == null) throw n.fail("needs scales or sizes");
        if ((scales != null && sizes == null && scales.length != r) || (sizes != null && sizes.length != r))
            throw n.fail("scales/sizes must have one value per axis of " + x.shape());
        Tensor y = x;
        for (int d = 0; d < r; d++) {
            int len = x.dim(d);
            int out = sizes != null ? sizes[d] : (int) Math.floor(len * (double) scales[d]);
            float scale = sizes != null ? (float) out / len : scales[d];
            if (out < 0 || out > TensorData.MAX_ELEMENTS || !(scale > 0)) throw n.fail("axis " + d + ": size " + out + ", scale " + scale);
            if (out == len && scale == 1f) continue;
            double virtualOut = sizes != null ? out : len * (double) scale;
            y = lin ? linearAxis(y, d, len, out, virtualOut, scale, coord) : nearestAxis(y, d, len, out, virtualOut, scale, coord, round);
        }
        return y;
    }

    /** The input coordinate of output position o; {@code out} is len * scale unrounded when scales were given (as ONNX's reference). */
    private static double source(int o, int len, double out, float scale, Coord c) {
        return switch (c) {
            case HALF_PIXEL -> (o + 0.5) / scale - 0.5;
            case PYTORCH_HALF_PIXEL -> out > 1 ? (o + 0.5) / scale - 0.5 : 0;
            case ALIGN_CORNERS -> out == 1 ? 0 : o * (len - 1.0) / (out - 1);
            case ASYMMETRIC -> o / (double) scale;
            case TF_HALF_PIXEL_FOR_NN -> (o + 0.5) / scale;
        };
    }

    private static int clamp(long i, int len) { return (int) Math.max(0, Math.min(len - 1, i)); }

    private static Tensor nearestAxis(Tensor x, int d, int len, int out, double virtualOut, float scale, Coord c, Round round) {
        int[] idx = new int[out];
        for (int o = 0; o < out; o++) {
            double s = source(o, len, virtualOut, scale, c);
            long i = switch (round) {
                case PREFER_FLOOR -> (long) Math.ceil(s - 0.5);
                case PREFER_CEIL -> (long) Math.floor(s + 0.5);
                case FLOOR -> (long) Math.floor(s);
                case CEIL -> (long) Math.ceil(s);
            };
            idx[o] = clamp(i, len);
        }
        return Indexing.gather(x, d, idx, new int[] {out});
    }

    private static Tensor linearAxis(Tensor x, int d, int len, int out, double virtualOut, float scale, Coord c) {
        int[] lo = new int[out], hi = new int[out];
        float[] wLo = new float[out], wHi = new float[out];
        for (int o = 0; o < out; o++) {
            double s = source(o, len, virtualOut, scale, c), f = Math.floor(s);
            lo[o] = clamp((long) f, len);
            hi[o] = clamp((long) f + 1, len);
            wHi[o] = (float) (s - f);
            wLo[o] = 1f - wHi[o];
        }
        int[] wd = new int[x.rank()];
        java.util.Arrays.fill(wd, 1);
        wd[d] = out;
        Tensor a = Indexing.gather(x, d, lo, new int[] {out}).mul(Tensor.of(wLo, wd));
        return a.add(Indexing.gather(x, d, hi, new int[] {out}).mul(Tensor.of(wHi, wd)));
    }
}
