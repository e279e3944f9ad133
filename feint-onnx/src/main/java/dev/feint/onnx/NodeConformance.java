package dev.feint.onnx;

import dev.feint.FeintException;
import dev.feint.nn.Graph;
import dev.feint.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Runs the ONNX project's node tests (one folder per test: model.onnx and
 * test_data_set_0/{input,output}_N.pb) through Feint and compares each output with the expected
 * one at float32 tolerance ({@link #RTOL}, {@link #ATOL}). {@code main} writes the table of
 * docs/ONNX.md:
 * <pre>java ... dev.feint.onnx.NodeConformance /usr/share/libonnx-testdata/data/node docs/ONNX.md</pre>
 */
final class NodeConformance {
    public static final float RTOL = 1e-4f, ATOL = 1e-5f;

    /** pass: equal outputs; fail: different outputs or a run-time error; refused: the load said which variant is unsupported; skipped: an op Feint lacks. */
    public enum Outcome { PASS, FAIL, REFUSED, SKIPPED }

    public record Result(String test, Set<String> ops, Outcome outcome, String detail) {}

    private NodeConformance() {}

    public static List<Result> run(Path nodeDir) {
        List<Result> out = new ArrayList<>();
        List<Path> dirs;
        try (var s = Files.list(nodeDir)) {
            dirs = s.filter(Files::isDirectory).sorted().toList();
        } catch (IOException e) {
            throw new FeintException("cannot list " + nodeDir + ": " + e.getMessage());
        }
        for (Path d : dirs) out.add(runOne(d));
        return out;
    }

    static Result runOne(Path dir) {
        String name = dir.getFileName().toString();
        byte[] model;
        try {
            model = Files.readAllBytes(dir.resolve("model.onnx"));
        } catch (IOException e) {
            return new Result(name, Set.of(), Outcome.SKIPPED, "no model.onnx");
        }
        Set<String> ops = new LinkedHashSet<>();
        OnnxProto.Model parsed;
        try {
            parsed = OnnxProto.parseModel(model, name);
        } catch (FeintException e) {
            return new Result(name, ops, Outcome.SKIPPED, e.getMessage());
        }
        for (OnnxProto.Node n : parsed.graph().nodes()) ops.add(n.opType());
        for (OnnxProto.ValueInfo v : parsed.graph().inputs())
            if (v.elemType() == 0 && v.dims() == null) return new Result(name, ops, Outcome.SKIPPED, "input '" + v.name() + "' is not a tensor");
        for (OnnxProto.ValueInfo v : parsed.graph().outputs())
            if (v.elemType() == 0 && v.dims() == null) return new Result(name, ops, Outcome.SKIPPED, "output '" + v.name() + "' is not a tensor");
        for (String op : ops)
            if (!OnnxImport.supportedOps().contains(op)) return new Result(name, ops, Outcome.SKIPPED, "needs " + op);
        OnnxImport.Imported imp;
        try {
            imp = OnnxImport.fromBytes(model, name, true);
        } catch (FeintException e) {
            return new Result(name, ops, Outcome.REFUSED, e.getMessage());
        }
        Graph g = imp.graph();
        g.eval();
        Path data = dir.resolve("test_data_set_0");
        try {
            Map<String, Tensor> feed = new HashMap<>();
            for (int i = 0; i < g.inputNames().size(); i++) feed.put(g.inputNames().get(i), readTensor(data.resolve("input_" + i + ".pb")));
            Map<String, Tensor> got = g.run(feed);
            for (int i = 0; i < g.outputNames().size(); i++) {
                Tensor want = readTensor(data.resolve("output_" + i + ".pb")), have = got.get(g.outputNames().get(i));
                String diff = compare(have, want);
                if (diff != null) return new Result(name, ops, Outcome.FAIL, "output " + i + ": " + diff);
            }
        } catch (FeintException e) {
            return new Result(name, ops, e.getMessage().contains("element type") ? Outcome.SKIPPED : Outcome.FAIL, e.getMessage());
        } catch (RuntimeException e) {
            return new Result(name, ops, Outcome.FAIL, e.toString());
        }
        return new Result(name, ops, Outcome.PASS, "");
    }

    static Tensor readTensor(Path pb) {
        try {
            byte[] b = Files.readAllBytes(pb);
            return OnnxProto.tensor(new ProtoWalker(b, 0, b.length, 0, pb.toString())).toTensor();
        } catch (IOException e) {
            throw new FeintException("cannot read " + pb + ": " + e.getMessage());
        }
    }

    /** null when equal at the tolerance, else what differs. */
    static String compare(Tensor have, Tensor want) {
        if (have == null) return "no value";
        if (!java.util.Arrays.equals(have.dims(), want.dims()))
            return "shape " + have.shape() + ", expected " + want.shape();
        float[] a = have.data(), b = want.data();
        for (int i = 0; i < b.length; i++) {
            boolean same = (Float.isNaN(a[i]) && Float.isNaN(b[i])) || a[i] == b[i]
                    || Math.abs(a[i] - b[i]) <= ATOL + RTOL * Math.abs(b[i]);
            if (!same) return "element " + i + " is " + a[i] + ", expected " + b[i];
        }
        return null;
    }

    /** Per op: [pass, fail, refused] over the tests it appears in that Feint could load or tried to. */
    public static Map<String, int[]> perOp(List<Result> results) {
        Map<String, int[]> m = new TreeMap<>();
        for (String op : OnnxImport.supportedOps()) m.put(op, new int[3]);
        for (Result r : results) {
            if (r.outcome == Outcome.SKIPPED) continue;
            for (String op : r.ops) m.get(op)[r.outcome.ordinal()]++;
        }
        return m;
    }

    public static String markdown(List<Result> results) {
        StringBuilder sb = new StringBuilder();
        int pass = 0, fail = 0, refused = 0, skipped = 0;
        for (Result r : results)
            switch (r.outcome) { case PASS -> pass++; case FAIL -> fail++; case REFUSED -> refused++; default -> skipped++; }
        sb.append("# ONNX models in Feint\n\n");
        sb.append("Any ONNX classifier built from the ops below is a Feint model: `--model file.onnx` works for `eval`, `attack`\n");
        sb.append("and `info`, with gradients computed by Feint's own engine (ONNX Runtime's Java build has none). ONNX does not\n");
        sb.append("record preprocessing, so it is given explicitly: `--input-range 0,1|0,255` (where attacks clamp; default 0,1),\n");
        sb.append("`--mean` and `--std` per channel in the units of that range (default 0 and 1), `--model-channels rgb|bgr` (default\n");
        sb.append("rgb), `--model-layout nchw|nhwc` (default nchw), `--model-classes FILE` (one name a line). For example\n\n");
        sb.append("    feint info --model fashion-cnn.onnx\n");
        sb.append("    feint attack --model fashion-cnn.onnx --data fashion-mnist --attack pgd --norm linf --eps 0.1 --steps 20\n    feint eval --model net.onnx --data DIR --input-range 0,255 --mean 125,123,114 --std 63,62,66 --model-channels bgr\n");
        sb.append("    feint export --model model.safetensors --onnx model.onnx\n\n");
        sb.append("The file is untrusted: sizes are checked before allocation, external data and control flow (If, Loop) are\n");
        sb.append("refused, and an unsupported op is one message naming the op, the node, the opset and the supported ops.\n");
        sb.append("Shape subgraphs run on small integer tensors, so a dynamic batch axis works; constant subgraphs are folded at\n");
        sb.append("load; conv + ReLU (+ tiling max-pool) and Gemm + ReLU run on fused kernels.\n\n");
        sb.append("Checked against PyTorch 1.13 exports (`scripts/make-onnx-fixtures.py`): resnet18 (12 base channels),\n");
        sb.append("mobilenet_v2 (width 0.25) and a small CNN at opsets 13 and 17, logits within 1e-4 and input gradients within\n");
        sb.append("1e-3 relative; a Fashion-MNIST CNN trained in PyTorch: Feint's PGD-20 robust accuracy on 1,000 images within\n");
        sb.append("2 points of PyTorch's.\n\n");
        sb.append("## Conformance on the ONNX node tests\n\n");
        sb.append("Generated by `dev.feint.onnx.NodeConformance` (see `scripts/onnx-conformance.sh`) from Debian's\n");
        sb.append("libonnx-testdata (").append(results.size()).append(" node tests). Outputs compared at |a - b| <= ")
                .append(ATOL).append(" + ").append(RTOL).append(" |b|.\n\n");
        sb.append(String.format("Of %d tests: %d pass, %d fail, %d refused at load with a message (a variant of a supported op that is not supported yet),"
                + " %d skipped (an op Feint does not import, or data of a type it does not read).%n%n", results.size(), pass, fail, refused, skipped));
        sb.append("| op | tests | pass | fail | refused | pass rate |\n|---|---:|---:|---:|---:|---:|\n");
        for (var e : perOp(results).entrySet()) {
            int[] c = e.getValue();
            int n = c[0] + c[1] + c[2];
            sb.append(String.format("| %s | %d | %d | %d | %d | %s |%n", e.getKey(), n, c[0], c[1], c[2],
                    n == 0 ? "-" : String.format("%.0f%%", 100.0 * c[0] / n)));
        }
        sb.append("\n## Tests of supported ops that do not pass, and why\n\n");
        for (Result r : results)
            if (r.outcome == Outcome.FAIL || r.outcome == Outcome.REFUSED)
                sb.append("- `").append(r.test).append("` (").append(r.outcome.name().toLowerCase()).append("): ")
                        .append(r.detail.replace('\n', ' ').replaceAll("; Feint supports: .*", "")).append('\n');
        return sb.toString();
    }

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args.length > 0 ? args[0] : "/usr/share/libonnx-testdata/data/node");
        List<Result> results = run(dir);
        String md = markdown(results);
        if (args.length > 1) Files.writeString(Path.of(args[1]), md);
        else System.out.print(md);
    }
}
