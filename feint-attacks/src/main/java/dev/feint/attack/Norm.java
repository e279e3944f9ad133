package dev.feint.attack;

import dev.feint.FeintException;
import dev.feint.model.Bounds;
import dev.feint.tensor.Parallel;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The threat models: measure a perturbation, project onto the eps-ball around x, take a
 * unit steepest-ascent step, sample a random start. Arrays are flat batches of n rows of
 * d = c*h*w values; every method works per row. One PGD loop serves every norm through these.
 */
public enum Norm {
    /** The largest change of any one value: projection clips, a step moves by the gradient's sign. */
    LINF("linf") {
        @Override public double measure(float[] a, float[] b, int off, int d) {
            double m = 0;
            for (int i = off; i < off + d; i++) m = Math.max(m, Math.abs((double) a[i] - b[i]));
            return m;
        }

        @Override void projectRow(float[] x, float[] x0, int off, int d, float eps) {
            for (int i = off; i < off + d; i++) {
                float lo = x0[i] - eps, hi = x0[i] + eps, v = x[i];
                x[i] = v < lo ? lo : (v > hi ? hi : v);
            }
        }

        @Override void ascendRow(float[] x, float[] g, int off, int d, float alpha) {
            for (int i = off; i < off + d; i++) x[i] += g[i] > 0f ? alpha : (g[i] < 0f ? -alpha : 0f);
        }

        @Override void sampleRow(float[] delta, int d, float eps, SplittableRandom rng) {
            for (int i = 0; i < d; i++) delta[i] = (float) ((2 * rng.nextDouble() - 1) * eps);
        }

        @Override public double maxEps(Bounds b, int d) { return b.range(); }
    },
    /** The Euclidean length of the change: projection rescales, a step follows the normalised gradient. */
    L2("l2") {
        @Override public double measure(float[] a, float[] b, int off, int d) {
            double s = 0;
            for (int i = off; i < off + d; i++) {
                double v = (double) a[i] - b[i];
                s += v * v;
            }
            return Math.sqrt(s);
        }

        @Override void projectRow(float[] x, float[] x0, int off, int d, float eps) {
            double m = measure(x, x0, off, d);
            if (m > eps) scaleRow(x, x0, off, d, eps / m);
        }

        @Override void ascendRow(float[] x, float[] g, int off, int d, float alpha) {
            double s = 0;
            for (int i = off; i < off + d; i++) s += (double) g[i] * g[i];
            if (s == 0) return;
            float f = (float) (alpha / Math.sqrt(s));
            for (int i = off; i < off + d; i++) x[i] += f * g[i];
        }

        @Override void sampleRow(float[] delta, int d, float eps, SplittableRandom rng) {
            // Gaussian direction, radius eps * u^(1/d): uniform in the ball.
            double s = 0;
            for (int i = 0; i < d; i++) {
                delta[i] = (float) gaussian(rng);
                s += (double) delta[i] * delta[i];
            }
            double r = eps * Math.pow(rng.nextDouble(), 1.0 / d) / Math.max(Math.sqrt(s), 1e-30);
            for (int i = 0; i < d; i++) delta[i] = (float) (delta[i] * r);
        }

        @Override public double maxEps(Bounds b, int d) { return b.range() * Math.sqrt(d); }
    },
    /** The sum of absolute changes: projection onto the L1 ball, a step moves the largest gradient coordinates. */
    L1("l1") {
        @Override public double measure(float[] a, float[] b, int off, int d) {
            double s = 0;
            for (int i = off; i < off + d; i++) s += Math.abs((double) a[i] - b[i]);
            return s;
        }

        @Override void projectRow(float[] x, float[] x0, int off, int d, float eps) {
            // Duchi et al. 2008: soft-threshold |delta| at theta so the L1 norm is eps.
            if (measure(x, x0, off, d) <= eps) return;
            double[] u = new double[d];
            for (int i = 0; i < d; i++) u[i] = Math.abs((double) x[off + i] - x0[off + i]);
            double[] s = u.clone();
            Arrays.sort(s);
            double cum = 0, theta = 0;
            for (int j = 1; j <= d; j++) {
                double v = s[d - j];
                cum += v;
                if (v - (cum - eps) / j > 0) theta = (cum - eps) / j;
            }
            for (int i = 0; i < d; i++) {
                double delta = (double) x[off + i] - x0[off + i];
                double mag = Math.max(u[i] - theta, 0);
                x[off + i] = (float) (x0[off + i] + Math.copySign(mag, delta));
            }
        }

        @Override void ascendRow(float[] x, float[] g, int off, int d, float alpha) {
            // Steepest L1 ascent puts all mass on the largest |g|; spreading it over the top 1%
            // (at least one coordinate) moves much faster through a clipped box (Tramer & Boneh 2019).
            float[] a = new float[d];
            for (int i = 0; i < d; i++) a[i] = Math.abs(g[off + i]);
            float[] s = a.clone();
            Arrays.sort(s);
            int k = Math.max(1, d / 100);
            float thr = s[d - k];
            if (thr == 0f) return;
            int count = 0;
            for (int i = 0; i < d; i++) if (a[i] >= thr) count++;
            float f = alpha / count;
            for (int i = 0; i < d; i++) if (a[i] >= thr) x[off + i] += g[off + i] > 0 ? f : -f;
        }

        @Override void sampleRow(float[] delta, int d, float eps, SplittableRandom rng) {
            // d+1 exponentials normalised by their sum: the first d are uniform in the simplex.
            double sum = 0;
            double[] e = new double[d + 1];
            for (int i = 0; i <= d; i++) sum += e[i] = -Math.log(1 - rng.nextDouble());
            for (int i = 0; i < d; i++) delta[i] = (float) (eps * e[i] / sum * (rng.nextBoolean() ? 1 : -1));
        }

        @Override public double maxEps(Bounds b, int d) { return (double) b.range() * d; }
    },
    /**
     * Coordinates changed by more than {@link #L0_TOLERANCE}; eps is a count. Measures and projects
     * (keeps the eps largest changes) for pixel and sparse attacks; it has no gradient step or
     * random start, so gradient attacks do not accept it.
     */
    L0("l0") {
        @Override public double measure(float[] a, float[] b, int off, int d) {
            int c = 0;
            for (int i = off; i < off + d; i++) if (Math.abs(a[i] - b[i]) > L0_TOLERANCE) c++;
            return c;
        }

        @Override void projectRow(float[] x, float[] x0, int off, int d, float eps) {
            int k = (int) Math.floor(eps);
            if (measure(x, x0, off, d) <= k) return;
            float[] s = new float[d];
            for (int i = 0; i < d; i++) s[i] = Math.abs(x[off + i] - x0[off + i]);
            float[] sorted = s.clone();
            Arrays.sort(sorted);
            float thr = k == 0 ? Float.POSITIVE_INFINITY : sorted[d - k];
            int room = k;
            for (int i = 0; i < d; i++) if (s[i] > thr) room--;
            for (int i = 0; i < d; i++) { // everything above the threshold, then ties in order
                if (s[i] > thr) continue;
                if (s[i] == thr && room > 0) room--;
                else x[off + i] = x0[off + i];
            }
        }

        @Override void ascendRow(float[] x, float[] g, int off, int d, float alpha) {
            throw new UnsupportedOperationException("l0 has no gradient step (use a pixel attack)");
        }

        @Override void sampleRow(float[] delta, int d, float eps, SplittableRandom rng) {
            throw new UnsupportedOperationException("l0 has no random start (use a pixel attack)");
        }

        @Override public double maxEps(Bounds b, int d) { return d; }
    };

    /** Changes at most this large do not count towards L0 (float noise of x0 + 0). */
    public static final float L0_TOLERANCE = 1e-6f;

    private final String id;

    Norm(String id) { this.id = id; }

    /** {@return the flag spelling: linf, l2, l1} */
    public String id() { return id; }

    @Override public String toString() { return id; }

    /**
     * Parses linf (or inf), l2, l1, l0; anything else is a user error with a pinned message.
     *
     * @param s the name, case and surrounding spaces ignored
     * @return the norm
     * @throws dev.feint.FeintException for any other name
     */
    public static Norm parse(String s) {
        String k = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        return switch (k) {
            case "linf", "inf", "l_inf" -> LINF;
            case "l2" -> L2;
            case "l1" -> L1;
            case "l0" -> L0;
            default -> throw new FeintException("unknown norm '" + s + "' (expected linf, l2, l1 or l0)");
        };
    }

    /**
     * ||a - b|| over row elements [off, off + d), in double.
     *
     * @param a the first batch, flat
     * @param b the second batch, flat
     * @param off the row's first element
     * @param d the row's length
     * @return the norm of the difference
     */
    public abstract double measure(float[] a, float[] b, int off, int d);

    /**
     * Largest eps that still constrains anything inside the bounds.
     *
     * @param b the model's bounds
     * @param d values per example
     * @return the radius at which the ball holds the whole box
     */
    public abstract double maxEps(Bounds b, int d);

    abstract void projectRow(float[] x, float[] x0, int off, int d, float eps);

    abstract void ascendRow(float[] x, float[] g, int off, int d, float alpha);

    abstract void sampleRow(float[] delta, int d, float eps, SplittableRandom rng);

    /**
     * Projects each row of x onto the eps-ball around x0, in place. Float rounding of x0 + delta
     * can land a hair outside; shrinking until the stored values measure within eps keeps the
     * guarantee exact.
     *
     * @param x the batch to project, flat [n, d], changed in place
     * @param x0 the centres, flat [n, d]
     * @param n rows
     * @param d values per row
     * @param eps the radius
     */
    public void project(float[] x, float[] x0, int n, int d, float eps) {
        Parallel.forRange(n, Parallel.grain(d), (c, from, to) -> {
            for (int r = from; r < to; r++) {
                int off = r * d;
                projectRow(x, x0, off, d, eps);
                for (int k = 0; k < 8 && this != LINF && this != L0; k++) {
                    double m = measure(x, x0, off, d);
                    if (m <= eps) break;
                    scaleRow(x, x0, off, d, eps / m * (1 - 1e-6 * (k + 1)));
                }
            }
        });
    }

    /**
     * x += alpha * u where u is the unit-norm steepest-ascent direction of g (per row).
     *
     * @param x the batch to move, flat [n, d], changed in place
     * @param g the gradient, flat [n, d]
     * @param n rows
     * @param d values per row
     * @param alpha the step length in this norm
     */
    public void ascend(float[] x, float[] g, int n, int d, float alpha) {
        Parallel.forRange(n, Parallel.grain(d), (c, from, to) -> {
            for (int r = from; r < to; r++) ascendRow(x, g, r * d, d, alpha);
        });
    }

    /**
     * x = x0 + a uniform sample of the eps-ball, per row; sequential so the seed fixes the bits.
     *
     * @param x the output, flat [n, d]
     * @param x0 the centres, flat [n, d]
     * @param n rows
     * @param d values per row
     * @param eps the radius
     * @param rng the one stream every row draws from, in row order
     */
    public void randomStart(float[] x, float[] x0, int n, int d, float eps, SplittableRandom rng) {
        SplittableRandom[] same = new SplittableRandom[n];
        java.util.Arrays.fill(same, rng);
        randomStart(x, x0, n, d, eps, same);
    }

    /**
     * As {@link #randomStart(float[], float[], int, int, float, SplittableRandom)}, row r drawing from {@code rows[r]}.
     *
     * @param x the output, flat [n, d]
     * @param x0 the centres, flat [n, d]
     * @param n rows
     * @param d values per row
     * @param eps the radius
     * @param rows one stream per row
     */
    public void randomStart(float[] x, float[] x0, int n, int d, float eps, SplittableRandom[] rows) {
        float[] delta = new float[d];
        for (int r = 0; r < n; r++) {
            sampleRow(delta, d, eps, rows[r]);
            for (int i = 0; i < d; i++) x[r * d + i] = x0[r * d + i] + delta[i];
        }
    }

    /**
     * Per-row norm of a - b.
     *
     * @param a the first batch, flat [n, d]
     * @param b the second batch, flat [n, d]
     * @param n rows
     * @param d values per row
     * @return the norm of each row's difference
     */
    public float[] measureAll(float[] a, float[] b, int n, int d) {
        float[] out = new float[n];
        for (int r = 0; r < n; r++) out[r] = (float) measure(a, b, r * d, d);
        return out;
    }

    static void scaleRow(float[] x, float[] x0, int off, int d, double f) {
        for (int i = off; i < off + d; i++) x[i] = (float) (x0[i] + ((double) x[i] - x0[i]) * f);
    }

    static double gaussian(SplittableRandom rng) {
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }
}
