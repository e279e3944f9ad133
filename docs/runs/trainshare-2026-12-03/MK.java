import jdk.incubator.vector.*;
import java.util.*;
public class MK {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED; static final int VL = S.length(), NR = 2*VL;
  static void wide6(int kc, float[] pa, int aIdx, float[] pb, int bIdx, float[] c, int cIdx, int ldc) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    for (int p = 0; p < kc; p++) { int ai = aIdx + p * 6, bi = bIdx + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, pb, bi), b1 = FloatVector.fromArray(S, pb, bi + VL);
      FloatVector av = FloatVector.broadcast(S, pa[ai]); c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, pa[ai+1]); c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, pa[ai+2]); c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, pa[ai+3]); c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, pa[ai+4]); c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, pa[ai+5]); c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); }
    c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + VL); cIdx += ldc; c10.intoArray(c, cIdx); c11.intoArray(c, cIdx + VL); cIdx += ldc;
    c20.intoArray(c, cIdx); c21.intoArray(c, cIdx + VL); cIdx += ldc; c30.intoArray(c, cIdx); c31.intoArray(c, cIdx + VL); cIdx += ldc;
    c40.intoArray(c, cIdx); c41.intoArray(c, cIdx + VL); cIdx += ldc; c50.intoArray(c, cIdx); c51.intoArray(c, cIdx + VL);
  }
  // two slivers: a at aIdx (rows 0-5) and aIdx2 (rows 6-11)
  static void wide12(int kc, float[] pa, int aIdx, int aIdx2, float[] pb, int bIdx, float[] c, int cIdx, int ldc) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    FloatVector d00 = c00, d01 = c00, d10 = c00, d11 = c00, d20 = c00, d21 = c00, d30 = c00, d31 = c00, d40 = c00, d41 = c00, d50 = c00, d51 = c00;
    for (int p = 0; p < kc; p++) { int ai = aIdx + p * 6, aj = aIdx2 + p * 6, bi = bIdx + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, pb, bi), b1 = FloatVector.fromArray(S, pb, bi + VL);
      FloatVector av = FloatVector.broadcast(S, pa[ai]); c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
      av = FloatVector.broadcast(S, pa[ai+1]); c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
      av = FloatVector.broadcast(S, pa[ai+2]); c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
      av = FloatVector.broadcast(S, pa[ai+3]); c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
      av = FloatVector.broadcast(S, pa[ai+4]); c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
      av = FloatVector.broadcast(S, pa[ai+5]); c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
      av = FloatVector.broadcast(S, pa[aj]); d00 = av.fma(b0, d00); d01 = av.fma(b1, d01);
      av = FloatVector.broadcast(S, pa[aj+1]); d10 = av.fma(b0, d10); d11 = av.fma(b1, d11);
      av = FloatVector.broadcast(S, pa[aj+2]); d20 = av.fma(b0, d20); d21 = av.fma(b1, d21);
      av = FloatVector.broadcast(S, pa[aj+3]); d30 = av.fma(b0, d30); d31 = av.fma(b1, d31);
      av = FloatVector.broadcast(S, pa[aj+4]); d40 = av.fma(b0, d40); d41 = av.fma(b1, d41);
      av = FloatVector.broadcast(S, pa[aj+5]); d50 = av.fma(b0, d50); d51 = av.fma(b1, d51); }
    c00.intoArray(c, cIdx); c01.intoArray(c, cIdx + VL); cIdx += ldc; c10.intoArray(c, cIdx); c11.intoArray(c, cIdx + VL); cIdx += ldc;
    c20.intoArray(c, cIdx); c21.intoArray(c, cIdx + VL); cIdx += ldc; c30.intoArray(c, cIdx); c31.intoArray(c, cIdx + VL); cIdx += ldc;
    c40.intoArray(c, cIdx); c41.intoArray(c, cIdx + VL); cIdx += ldc; c50.intoArray(c, cIdx); c51.intoArray(c, cIdx + VL); cIdx += ldc;
    d00.intoArray(c, cIdx); d01.intoArray(c, cIdx + VL); cIdx += ldc; d10.intoArray(c, cIdx); d11.intoArray(c, cIdx + VL); cIdx += ldc;
    d20.intoArray(c, cIdx); d21.intoArray(c, cIdx + VL); cIdx += ldc; d30.intoArray(c, cIdx); d31.intoArray(c, cIdx + VL); cIdx += ldc;
    d40.intoArray(c, cIdx); d41.intoArray(c, cIdx + VL); cIdx += ldc; d50.intoArray(c, cIdx); d51.intoArray(c, cIdx + VL);
  }
  // two panels: b at bIdx and bIdx2 (each NR wide)
  static void wide6x4(int kc, float[] pa, int aIdx, float[] pb, int bIdx, int bIdx2, float[] c, int cIdx, int ldc) {
    FloatVector c00 = FloatVector.zero(S), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00, c20 = c00, c21 = c00, c22 = c00, c23 = c00;
    FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00, c40 = c00, c41 = c00, c42 = c00, c43 = c00, c50 = c00, c51 = c00, c52 = c00, c53 = c00;
    for (int p = 0; p < kc; p++) { int ai = aIdx + p * 6, bi = bIdx + p * NR, bj = bIdx2 + p * NR;
      FloatVector b0 = FloatVector.fromArray(S, pb, bi), b1 = FloatVector.fromArray(S, pb, bi + VL), b2 = FloatVector.fromArray(S, pb, bj), b3 = FloatVector.fromArray(S, pb, bj + VL);
      FloatVector av = FloatVector.broadcast(S, pa[ai]); c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
      av = FloatVector.broadcast(S, pa[ai+1]); c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
      av = FloatVector.broadcast(S, pa[ai+2]); c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
      av = FloatVector.broadcast(S, pa[ai+3]); c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32); c33 = av.fma(b3, c33);
      av = FloatVector.broadcast(S, pa[ai+4]); c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42); c43 = av.fma(b3, c43);
      av = FloatVector.broadcast(S, pa[ai+5]); c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52); c53 = av.fma(b3, c53); }
    int j = cIdx, k = cIdx;
    c00.intoArray(c, j); c01.intoArray(c, j + VL); j += ldc; c10.intoArray(c, j); c11.intoArray(c, j + VL); j += ldc;
    c20.intoArray(c, j); c21.intoArray(c, j + VL); j += ldc; c30.intoArray(c, j); c31.intoArray(c, j + VL); j += ldc;
    c40.intoArray(c, j); c41.intoArray(c, j + VL); j += ldc; c50.intoArray(c, j); c51.intoArray(c, j + VL);
    k += NR; c02.intoArray(c, k); c03.intoArray(c, k + VL); k += ldc; c12.intoArray(c, k); c13.intoArray(c, k + VL); k += ldc;
    c22.intoArray(c, k); c23.intoArray(c, k + VL); k += ldc; c32.intoArray(c, k); c33.intoArray(c, k + VL); k += ldc;
    c42.intoArray(c, k); c43.intoArray(c, k + VL); k += ldc; c52.intoArray(c, k); c53.intoArray(c, k + VL);
  }
  public static void main(String[] x) {
    int kc = 256, slivers = 16, panels = Integer.parseInt(x.length > 0 ? x[0] : "1"); // B block panels*NR*kc
    float[] pa = new float[slivers * 6 * kc], pb = new float[panels * NR * kc], c = new float[slivers * 6 * panels * NR];
    Random r = new Random(1); for (int i = 0; i < pa.length; i++) pa[i] = r.nextFloat(); for (int i = 0; i < pb.length; i++) pb[i] = r.nextFloat();
    int ldc = panels * NR;
    for (int rep = 0; rep < 5; rep++) for (int kind = 0; kind < 3; kind++) {
      long best = Long.MAX_VALUE; int iters = 200;
      for (int t = 0; t < 7; t++) { long t0 = System.nanoTime();
        for (int it = 0; it < iters; it++) for (int jr = 0; jr < panels; jr += (kind == 2 ? 2 : 1)) for (int ir = 0; ir < slivers; ir += (kind == 1 ? 2 : 1)) {
          int cI = ir * 6 * ldc + jr * NR;
          if (kind == 0) wide6(kc, pa, ir * 6 * kc, pb, jr * NR * kc, c, cI, ldc);
          else if (kind == 1) wide12(kc, pa, ir * 6 * kc, (ir + 1) * 6 * kc, pb, jr * NR * kc, c, cI, ldc);
          else wide6x4(kc, pa, ir * 6 * kc, pb, jr * NR * kc, (jr + 1) * NR * kc, c, cI, ldc);
        }
        best = Math.min(best, System.nanoTime() - t0); }
      double flops = 2.0 * kc * slivers * 6 * panels * NR * iters;
      if (rep >= 3) System.out.printf("%s panels %d: %.1f GFLOP/s%n", new String[]{"6x32","12x32","6x64"}[kind], panels, flops / best);
    }
  }
}
