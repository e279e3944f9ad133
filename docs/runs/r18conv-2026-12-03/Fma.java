import jdk.incubator.vector.*;
public class Fma {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    public static void main(String[] a) {
        for (int rep = 0; rep < 8; rep++) {
            long t0 = System.nanoTime();
            float r = run(50_000_000);
            long t = System.nanoTime() - t0;
            System.out.printf("%.3f GFMA-vec/s (12 chains) -> %.2f G FMA-vec pairs/s  %f%n", 12 * 50e6 / t, 12 * 50e6 / t / 2, r);
        }
    }
    static float run(int n) {
        FloatVector b = FloatVector.broadcast(S, 1.0000001f), a = FloatVector.broadcast(S, 0.999999f);
        FloatVector c0 = FloatVector.zero(S), c1 = c0.add(1), c2 = c0.add(2), c3 = c0.add(3), c4 = c0.add(4), c5 = c0.add(5),
            c6 = c0.add(6), c7 = c0.add(7), c8 = c0.add(8), c9 = c0.add(9), c10 = c0.add(10), c11 = c0.add(11);
        for (int i = 0; i < n; i++) {
            c0 = a.fma(c0, b); c1 = a.fma(c1, b); c2 = a.fma(c2, b); c3 = a.fma(c3, b); c4 = a.fma(c4, b); c5 = a.fma(c5, b);
            c6 = a.fma(c6, b); c7 = a.fma(c7, b); c8 = a.fma(c8, b); c9 = a.fma(c9, b); c10 = a.fma(c10, b); c11 = a.fma(c11, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).reduceLanes(VectorOperators.ADD);
    }
}
