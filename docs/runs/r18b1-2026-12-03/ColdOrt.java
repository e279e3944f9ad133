import ai.onnxruntime.*;
import java.nio.file.*;
import java.util.*;
/** ORT with profiling, bench-like rounds (gc + sleep 200 ms, 10 calls) after a warm-up; prints the profile file. */
public class ColdOrt {
    public static void main(String[] a) throws Exception {
        Path onnx = Path.of(a[0]);
        int threads = Integer.parseInt(a[1]), rounds = Integer.parseInt(a[2]);
        float[] x = new float[3 * 32 * 32];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(threads); o.setInterOpNumThreads(1);
        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.enableProfiling("/tmp/r18b1/ort-cold");
        try (OrtSession s = env.createSession(Files.readAllBytes(onnx), o);
             OnnxTensor t = OnnxTensor.createTensor(env, java.nio.FloatBuffer.wrap(x), new long[] {1, 3, 32, 32})) {
            String in = s.getInputNames().iterator().next();
            for (int i = 0; i < 3000; i++) s.run(Map.of(in, t)).close();
            for (int q = 0; q < rounds; q++) {
                System.gc(); Thread.sleep(200);
                for (int i = 0; i < 10; i++) s.run(Map.of(in, t)).close();
            }
            System.out.println(s.endProfiling());
        }
    }
}
