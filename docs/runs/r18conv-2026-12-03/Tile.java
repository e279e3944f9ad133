import jdk.incubator.vector.*;
public class Tile {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_512;
    static final int T = 192, VL = 16;
    public static void main(String[] a) {
        float[] pb = new float[T * 64 + 64], in = new float[8 * T + 64], z = new float[1024];
        for (int i = 0; i < pb.length; i++) pb[i] = (i % 13) * 1e-3f;
        for (int i = 0; i < in.length; i++) in[i] = (i % 7) * 1e-3f;
        int reps = 200_000;
        for (int rep = 0; rep < 6; rep++) {
            long t0 = System.nanoTime(); for (int r = 0; r < reps; r++) t62(pb, in, z, r & 7); long t1 = System.nanoTime();
            for (int r = 0; r < reps; r++) t44(pb, in, z, r & 7); long t2 = System.nanoTime();
            for (int r = 0; r < reps; r++) t64(pb, in, z, r & 7); long t3 = System.nanoTime();
            System.out.printf("6x2 %.2f  4x4 %.2f  6x4 %.2f  G vecFMA/s%n", 12.0 * T * reps / (t1 - t0), 16.0 * T * reps / (t2 - t1), 24.0 * T * reps / (t3 - t2));
        }
        System.out.println(z[5]);
    }
    static void t62(float[] pb, float[] in, float[] z, int o) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        int i0 = o, i1 = o + T, i2 = o + 2 * T, i3 = o + 3 * T, i4 = o + 4 * T, i5 = o + 5 * T;
        for (int t = 0; t < T; t++) {
            int bt = t * 32;
            FloatVector b0 = FloatVector.fromArray(S, pb, bt), b1 = FloatVector.fromArray(S, pb, bt + VL);
            FloatVector av = FloatVector.broadcast(S, in[i0 + t]); c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, in[i1 + t]); c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, in[i2 + t]); c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, in[i3 + t]); c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, in[i4 + t]); c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, in[i5 + t]); c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
        }
        c00.add(c01).add(c10).add(c11).add(c20).add(c21).add(c30).add(c31).add(c40).add(c41).add(c50).add(c51).intoArray(z, 0);
    }
    static void t44(float[] pb, float[] in, float[] z, int o) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        int i0 = o, i1 = o + T, i2 = o + 2 * T, i3 = o + 3 * T, step = T * 32;
        for (int t = 0; t < T; t++) {
            int bt = t * 32;
            FloatVector b0 = FloatVector.fromArray(S, pb, bt), b1 = FloatVector.fromArray(S, pb, bt + VL);
            FloatVector b2 = FloatVector.fromArray(S, pb, bt + 16 * 2 * 0 + 32 * 0 + 32), b3 = FloatVector.fromArray(S, pb, bt + 48);
            FloatVector av = FloatVector.broadcast(S, in[i0 + t]); c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, in[i1 + t]); c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, in[i2 + t]); c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, in[i3 + t]); c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32); c33 = av.fma(b3, c33);
        }
        c00.add(c01).add(c02).add(c03).add(c10).add(c11).add(c12).add(c13).add(c20).add(c21).add(c22).add(c23).add(c30).add(c31).add(c32).add(c33).intoArray(z, 0);
    }
    static void t64(float[] pb, float[] in, float[] z, int o) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00, c40 = c00, c41 = c00, c42 = c00, c43 = c00, c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        int i0 = o, i1 = o + T, i2 = o + 2 * T, i3 = o + 3 * T, i4 = o + 4 * T, i5 = o + 5 * T;
        for (int t = 0; t < T; t++) {
            int bt = t * 32;
            FloatVector b0 = FloatVector.fromArray(S, pb, bt), b1 = FloatVector.fromArray(S, pb, bt + VL);
            FloatVector b2 = FloatVector.fromArray(S, pb, bt + 32), b3 = FloatVector.fromArray(S, pb, bt + 48);
            FloatVector av = FloatVector.broadcast(S, in[i0 + t]); c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(S, in[i1 + t]); c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(S, in[i2 + t]); c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(S, in[i3 + t]); c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32); c33 = av.fma(b3, c33);
            av = FloatVector.broadcast(S, in[i4 + t]); c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42); c43 = av.fma(b3, c43);
            av = FloatVector.broadcast(S, in[i5 + t]); c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52); c53 = av.fma(b3, c53);
        }
        c00.add(c01).add(c02).add(c03).add(c10).add(c11).add(c12).add(c13).add(c20).add(c21).add(c22).add(c23).add(c30).add(c31).add(c32).add(c33)
           .add(c40).add(c41).add(c42).add(c43).add(c50).add(c51).add(c52).add(c53).intoArray(z, 0);
    }
}
