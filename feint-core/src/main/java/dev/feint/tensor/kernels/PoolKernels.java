package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;

/** Max and average pooling over [planes, h, w], planes split over the worker threads. */
public final class PoolKernels {
    private PoolKernels() {}

    /** Writes the max of each window into out and the flat input index of it into arg. */
    public static void maxForward(float[] x, int planes, int h, int w, int k, int stride, int pad,
                                  float[] out, int[] arg) {
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        Parallel.forRange(planes, 4, (c, from, to) -> {
            for (int p = from; p < to; p++) {
                int in0 = p * h * w, out0 = p * oh * ow;
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        float best = Float.NEGATIVE_INFINITY;
                        int bi = -1;
                        for (int u = 0; u < k; u++) {
                            int y = i * stride - pad + u;
                            if (y < 0 || y >= h) continue;
                            for (int v = 0; v < k; v++) {
                                int xx = j * stride - pad + v;
                                if (xx < 0 || xx >= w) continue;
                                float val = x[in0 + y * w + xx];
                                if (bi < 0 || val > best) { best = val; bi = in0 + y * w + xx; }
                            }
                        }
                        out[out0 + i * ow + j] = best;
                        arg[out0 + i * ow + j] = bi;
                    }
            }
        });
    }

    /** gradX[arg[i]] += gradOut[i]; windows of one plane never touch another plane. */
    public static void maxBackward(float[] gradOut, int[] arg, int planes, int planeOut, float[] gradX) {
        Parallel.forRange(planes, 4, (c, from, to) -> {
            for (int i = from * planeOut; i < to * planeOut; i++) gradX[arg[i]] += gradOut[i];
        });
    }

    /** Average over each window; padding counts as zeros (PyTorch's count_include_pad). */
    public static void avgForward(float[] x, int planes, int h, int w, int k, int stride, int pad, float[] out) {
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        float inv = 1f / (k * k);
        Parallel.forRange(planes, 4, (c, from, to) -> {
            for (int p = from; p < to; p++) {
                int in0 = p * h * w, out0 = p * oh * ow;
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        float s = 0;
                        for (int u = 0; u < k; u++) {
                            int y = i * stride - pad + u;
                            if (y < 0 || y >= h) continue;
                            for (int v = 0; v < k; v++) {
                                int xx = j * stride - pad + v;
                                if (xx >= 0 && xx < w) s += x[in0 + y * w + xx];
                            }
                        }
                        out[out0 + i * ow + j] = s * inv;
                    }
            }
        });
    }

    public static void avgBackward(float[] gradOut, int planes, int h, int w, int k, int stride, int pad, float[] gradX) {
        int oh = (h + 2 * pad - k) / stride + 1, ow = (w + 2 * pad - k) / stride + 1;
        float inv = 1f / (k * k);
        Parallel.forRange(planes, 4, (c, from, to) -> {
            for (int p = from; p < to; p++) {
                int in0 = p * h * w, out0 = p * oh * ow;
                for (int i = 0; i < oh; i++)
                    for (int j = 0; j < ow; j++) {
                        float g = gradOut[out0 + i * ow + j] * inv;
                        for (int u = 0; u < k; u++) {
                            int y = i * stride - pad + u;
                            if (y < 0 || y >= h) continue;
                            for (int v = 0; v < k; v++) {
                                int xx = j * stride - pad + v;
                                if (xx >= 0 && xx < w) gradX[in0 + y * w + xx] += g;
                            }
                        }
                    }
            }
        });
    }
}
