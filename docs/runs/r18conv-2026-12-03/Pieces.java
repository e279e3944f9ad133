package dev.feint.tensor.kernels;

import dev.feint.tensor.Parallel;
import java.util.*;

/** The pieces of one batch-1 direct conv: the whole ChannelsLastForward call, the conv into z (serial copy + parallel slivers), the store. Args: threads reps. */
public class Pieces {
    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]), reps = Integer.parseInt(a[1]);
        Parallel.setThreads(threads);
        ConvGeometry[] gs = {new ConvGeometry(1, 3, 32, 32, 64, 7, 7, 2, 2, 3, 3, 1, 1), new ConvGeometry(1, 64, 8, 8, 64, 3, 3, 1, 1, 1, 1, 1, 1),
            new ConvGeometry(1, 128, 4, 4, 128, 3, 3, 1, 1, 1, 1, 1, 1)};
        boolean[] cl = {false, true, true};
        SplittableRandom r = new SplittableRandom(1);
        for (int rd = 0; rd < 4; rd++)
        for (int i = 0; i < gs.length; i++) {
            ConvGeometry g = gs[i];
            float[] x = new float[g.c() * g.h() * g.w()], w = new float[g.o() * g.c() * g.kh() * g.kw()], out = new float[g.o() * g.outH() * g.outW()];
            for (int j = 0; j < x.length; j++) x[j] = (float) r.nextDouble(-1, 1);
            for (int j = 0; j < w.length; j++) w[j] = (float) r.nextDouble(-1, 1);
            PreparedConv p = PreparedConv.forward(g, w);
            ChannelsLastConv.Plan plan = (ChannelsLastConv.Plan) p.plan;
            float[] z = ChannelsLastConv.z(plan);
            long[] tw = new long[reps], ti = new long[reps], ts = new long[reps], t1 = new long[reps];
            for (int k = 0; k < reps; k++) {
                long s0 = System.nanoTime();
                ChannelsLastForward.forward(g, x, cl[i], w, null, 0f, Float.POSITIVE_INFINITY, out, p);
                long s1 = System.nanoTime();
                ChannelsLastConv.image(plan, x, cl[i], 0, 1, z, true);
                long s2 = System.nanoTime();
                ChannelsLastForward.store(z, 0, plan.oPad, plan.pixels, out, 0, g.o(), 0, g.o(), 0f, Float.POSITIVE_INFINITY);
                long s3 = System.nanoTime();
                ChannelsLastConv.image(plan, x, cl[i], 0, 1, z, false);
                long s4 = System.nanoTime();
                tw[k] = s1 - s0; ti[k] = s2 - s1; ts[k] = s3 - s2; t1[k] = s4 - s3;
            }
            if (rd == 3) System.out.printf(Locale.ROOT, "%s: forward %.1f us, image(par) %.1f, store %.1f, image(serial) %.1f  (threads %d)%n", g,
                med(tw), med(ti), med(ts), med(t1), threads);
        }
    }
    static double med(long[] v) { long[] c = v.clone(); Arrays.sort(c); return c[c.length / 2] / 1e3; }
}
