package dev.feint.onnx;

import dev.feint.FeintException;
import dev.feint.nn.Graph;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Untrusted ONNX files: each defect is one FeintException naming it, decided before anything large is allocated. */
class BadOnnxTest {
    private static final String[] NONE = {};

    /** x [batch, 4] -> Relu -> y, plus whatever nodes and initializers are added. */
    private static Proto graph(Proto... extra) {
        Proto g = new Proto().string(2, "g");
        for (Proto p : extra) g = concat(g, p);
        return g.message(11, Proto.valueInfo("x", DataType.FLOAT, -1, 4)).message(12, Proto.valueInfo("y", DataType.FLOAT, -1, 4));
    }

    private static Proto concat(Proto g, Proto fieldBytes) {
        Proto out = new Proto();
        byte[] a = g.toBytes(), b = fieldBytes.toBytes();
        byte[] all = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return out.raw(all);
    }

    private static Proto nodeField(Proto node) { return new Proto().message(1, node); }

    private static Proto initField(Proto tensor) { return new Proto().message(5, tensor); }

    private static String fail(Proto graph) { return fail(Proto.model(13, graph).toBytes()); }

    private static String fail(byte[] model) {
        return assertThrows(FeintException.class, () -> OnnxImport.fromBytes(model, "bad.onnx")).getMessage();
    }

    private static Proto relu(String in, String out) { return nodeField(Proto.node("Relu", "r_" + out, new String[] {in}, new String[] {out})); }

    @Test
    void aWellFormedHandMadeModelLoads() {
        Graph g = OnnxImport.fromBytes(Proto.model(13, graph(relu("x", "y"))).toBytes(), "ok.onnx").graph();
        assertArrayEquals(new float[] {0, 2, 0, 4}, g.forward(Tensor.of(new float[] {-1, 2, -3, 4}, 1, 4)).data());
    }

    @Test
    void aTensorDeclaringMoreDataThanItHolds() {
        String m = fail(graph(initField(Proto.floatTensor("w", new long[] {1_000_000}, new byte[8])), relu("x", "y")));
        assertEquals("bad.onnx > graph > initializer 0: tensor 'w' declares 1000000 elements of 4 bytes (4000000 bytes) but its raw_data holds 8", m);
    }

    @Test
    void aLengthBeyondTheEndOfTheFile() {
        byte[] ok = Proto.model(13, graph(relu("x", "y"))).toBytes();
        byte[] cut = Arrays.copyOf(ok, ok.length - 5);
        String m = fail(cut);
        assertTrue(m.startsWith("bad.onnx: ") && (m.contains("bytes but only") || m.contains("the file ends early")), m);
    }

    @Test
    void dimsWhoseProductOverflows() {
        String m = fail(graph(initField(Proto.floatTensor("w", new long[] {1L << 31, 1L << 31, 4}, new byte[4])), relu("x", "y")));
        assertTrue(m.contains("tensor 'w' has dimension 2147483648 (expected 0..268435456)"), m);
        String p = fail(graph(initField(Proto.floatTensor("w", new long[] {1 << 20, 1 << 20}, new byte[4])), relu("x", "y")));
        assertTrue(p.contains("declares dims [1048576, 1048576], more than 268435456 elements"), p);
        String neg = fail(graph(initField(Proto.floatTensor("w", new long[] {-3}, new byte[4])), relu("x", "y")));
        assertTrue(neg.contains("has dimension -3"), neg);
    }

    @Test
    void aCycle() {
        String m = fail(graph(relu("x", "a"), nodeField(Proto.node("Add", "loop", new String[] {"a", "y"}, new String[] {"b"})),
                relu("b", "y")));
        assertTrue(m.contains("the graph has a cycle through node"), m);
    }

    @Test
    void anUndefinedInput() {
        assertEquals("bad.onnx: node 'r_y' reads 'ghost', which no input, initializer or node defines", fail(graph(relu("ghost", "y"))));
    }

    @Test
    void aNodeWithTooFewInputs() {
        // Found by fuzzing (OnnxFuzzTest): a Flatten with no input indexed its missing input.
        assertEquals("bad.onnx: Flatten node 'f' (opset 13) has 0 of its 1 required input(s)",
                fail(graph(nodeField(Proto.node("Flatten", "f", new String[] {}, new String[] {"y"})))));
        assertEquals("bad.onnx: Add node 'a' (opset 13) has 1 of its 2 required input(s)",
                fail(graph(nodeField(Proto.node("Add", "a", new String[] {"x", ""}, new String[] {"y"})))));
    }

    @Test
    void aNestedSubgraph() {
        Proto attr = new Proto().string(1, "then_branch").varint(20, 5).message(6, new Proto().string(2, "inner"));
        Proto ifNode = Proto.node("If", "branch", new String[] {"x"}, new String[] {"y"}).message(5, attr);
        String m = fail(graph(nodeField(ifNode)));
        assertEquals("bad.onnx: If node 'branch' has a nested subgraph (attribute 'then_branch'); control flow (If, Loop, Scan) is not supported", m);
    }

    @Test
    void externalData() {
        Proto t = Proto.floatTensor("w", new long[] {4}, new byte[0]).message(13, new Proto().string(1, "location").string(2, "../../etc/passwd")).varint(14, 1);
        String m = fail(graph(initField(t), relu("x", "y")));
        assertTrue(m.contains("tensor 'w' keeps its data in an external file; external data is not supported"), m);
    }

    @Test
    void typeMismatches() {
        Proto g = new Proto().message(1, Proto.node("Relu", "r", new String[] {"x"}, new String[] {"y"}))
                .message(11, Proto.valueInfo("x", DataType.INT64, -1, 4)).message(12, Proto.valueInfo("y", DataType.FLOAT, -1, 4));
        assertEquals("bad.onnx: input 'x' has type int64; Feint's models take float inputs", fail(g));
        Proto s = new Proto().varint(1, 1).varint(2, DataType.STRING).string(8, "names").bytes(9, new byte[1]);
        String m = fail(graph(initField(s), relu("x", "y")));
        assertTrue(m.endsWith("tensor 'names' has element type string, which Feint does not read"), m);
    }

    @Test
    void anUnsupportedOpNamesItsNodeOpsetAndTheSupportedOps() {
        String m = fail(graph(nodeField(Proto.node("NonMaxSuppression", "nms", new String[] {"x"}, new String[] {"y"}))));
        assertTrue(m.startsWith("unsupported op NonMaxSuppression (node 'nms', opset 13); Feint supports: Abs, Add, "), m);
        assertTrue(m.contains("Conv") && m.contains("Where"), m);
        String custom = fail(graph(nodeField(Proto.node("Relu", "r", new String[] {"x"}, new String[] {"y"}).string(7, "com.example"))));
        assertTrue(custom.startsWith("unsupported op com.example.Relu (node 'r', opset 13), domain 'com.example'"), custom);
    }

    @Test
    void anOpsetOutOfRange() {
        assertEquals("bad.onnx: opset 99 (Feint reads opsets 1 to 21)", fail(Proto.model(99, graph(relu("x", "y"))).toBytes()));
    }

    @Test
    void aDeepGraphRunsForwardAndBackwardWithoutRecursion() {
        int depth = 20_000;
        Proto g = new Proto().string(2, "deep");
        for (int i = 0; i < depth; i++)
            g = concat(g, relu(i == 0 ? "x" : "h" + (i - 1), i == depth - 1 ? "y" : "h" + i));
        g = g.message(11, Proto.valueInfo("x", DataType.FLOAT, -1, 4)).message(12, Proto.valueInfo("y", DataType.FLOAT, -1, 4));
        Graph deep = OnnxImport.fromBytes(Proto.model(13, g).toBytes(), "deep.onnx").graph();
        Tensor x = Tensor.of(new float[] {-1, 2, -3, 4}, 1, 4).requiresGrad(true);
        Tensor y = deep.forward(x);
        y.sum().backward();
        assertArrayEquals(new float[] {0, 2, 0, 4}, y.data());
        assertArrayEquals(new float[] {0, 1, 0, 1}, x.grad());
    }

    @Test
    void aTruncatedRealModel() throws Exception {
        byte[] full = Files.readAllBytes(OnnxFixturesTest.resource("resnet18-w12-opset13.onnx"));
        String m = fail(Arrays.copyOf(full, full.length / 2));
        assertTrue(m.startsWith("bad.onnx") && (m.contains("declares") || m.contains("truncated")), m);
        assertEquals(1, m.lines().count());
    }
}
