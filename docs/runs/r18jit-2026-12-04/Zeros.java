import dev.feint.onnx.*;
import dev.feint.model.InputPreprocessing;
import dev.feint.nn.Graph;
import dev.feint.tensor.*;
import dev.feint.autograd.Grad;
import java.nio.file.*;
import java.util.*;

/** Fraction of exact zeros in each node's first input, batch 1, the bench's kind of input. Args: model.onnx */
public class Zeros {
    public static void main(String[] a) throws Exception {
        OnnxModel m = OnnxModel.load(Path.of(a[0]), InputPreprocessing.DEFAULT, null);
        Graph g = m.imported().graph();
        List<Graph.GraphNode> timed = new ArrayList<>();
        for (Graph.GraphNode nd : g.nodes()) {
            Graph.Op op = nd.op();
            timed.add(new Graph.GraphNode(nd.name(), (in, tr) -> {
                float[] d = in[0].data();
                int z = 0; for (float f : d) if (f == 0f) z++;
                System.out.printf(Locale.ROOT, "%-50s %8d floats, zeros %.2f%n", nd.name(), d.length, (double) z / d.length);
                return op.apply(in, tr);
            }, nd.inputs(), nd.outputs()));
        }
        Graph p = g.withNodes(timed);
        p.eval();
        float[] x = new float[3 * 32 * 32];
        SplittableRandom r = new SplittableRandom(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) r.nextDouble();
        try (var ng = Grad.noGrad()) { p.forward(Tensor.of(x, 1, 3, 32, 32)); }
    }
}
