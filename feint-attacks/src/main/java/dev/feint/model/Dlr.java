package dev.feint.model;

import dev.feint.FeintException;
import dev.feint.autograd.Grad;
import dev.feint.autograd.Node;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

/**
 * The difference-of-logits-ratio losses of Croce and Hein (arXiv:2003.01690), per example, with
 * their gradients: untargeted {@code -(z_y - max_{i!=y} z_i) / (z_pi1 - z_pi3 + 1e-12)} and
 * targeted {@code -(z_y - z_t) / (z_pi1 - (z_pi3 + z_pi4) / 2 + 1e-12)}, pi the classes sorted
 * by decreasing logit (ties broken by the lower class). Computed in double; at ties the gradient
 * is that of the chosen order (a subgradient).
 */
final class Dlr {
    private Dlr() {}

    static Tensor untargeted(Tensor z, int[] labels) { return of(z, labels, null); }

    static Tensor targeted(Tensor z, int[] labels, int[] targets) { return of(z, labels, targets); }

    private static Tensor of(Tensor logits, int[] y, int[] t) {
        int n = logits.dim(0), k = logits.dim(1), need = t == null ? 3 : 4;
        if (k < need) throw new FeintException((t == null ? "the dlr loss" : "the targeted dlr loss") + " needs at least " + need
                + " classes, the model has " + k);
        if (y.length != n || (t != null && t.length != n)) throw new IllegalArgumentException("classes for " + n + " rows expected");
        float[] z = logits.data(), out = new float[n];
        int[][] idx = new int[n][];
        double[] num = new double[n], den = new double[n];
        int[] other = new int[n];
        for (int i = 0; i < n; i++) {
            int r = i * k;
            int[] top = top4(z, r, k);
            idx[i] = top;
            if (t == null) {
                other[i] = top[0] == y[i] ? top[1] : top[0];
                den[i] = (double) z[r + top[0]] - z[r + top[2]] + 1e-12;
            } else {
                other[i] = t[i];
                den[i] = (double) z[r + top[0]] - 0.5 * ((double) z[r + top[2]] + z[r + top[3]]) + 1e-12;
            }
            num[i] = (double) z[r + y[i]] - z[r + other[i]];
            out[i] = (float) (-num[i] / den[i]);
        }
        return Grad.record(new Tensor(Shape.of(n), out), new Node(logits) {
            @Override protected void backward(Tensor o, float[] g) {
                float[] gz = logits.gradBuffer();
                for (int i = 0; i < n; i++) {
                    int r = i * k;
                    double a = g[i] / den[i], b = g[i] * num[i] / (den[i] * den[i]);
                    gz[r + y[i]] += (float) -a;
                    gz[r + other[i]] += (float) a;
                    gz[r + idx[i][0]] += (float) b;
                    if (t == null) {
                        gz[r + idx[i][2]] += (float) -b;
                    } else {
                        gz[r + idx[i][2]] += (float) (-0.5 * b);
                        gz[r + idx[i][3]] += (float) (-0.5 * b);
                    }
                }
            }
        }, logits);
    }

    /** The (up to) four largest classes of row r, in decreasing order, the lower class first at ties. */
    private static int[] top4(float[] z, int r, int k) {
        int m = Math.min(4, k);
        int[] top = new int[m];
        int filled = 0;
        for (int j = 0; j < k; j++) {
            float v = z[r + j];
            int p = filled;
            while (p > 0 && v > z[r + top[p - 1]]) p--;
            if (p >= m) continue;
            for (int q = Math.min(filled, m - 1); q > p; q--) top[q] = top[q - 1];
            top[p] = j;
            if (filled < m) filled++;
        }
        return top;
    }
}
