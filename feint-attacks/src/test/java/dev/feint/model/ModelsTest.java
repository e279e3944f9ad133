package dev.feint.model;

import dev.feint.FeintException;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Models#load} decides the format from the content: Feint's safetensors here, the other
 * formats' detection against the checked-in fixtures of feint-onnx and feint-djl (whose modules
 * are not on this module's path, so they are named as missing), unknown content described.
 */
class ModelsTest {
    static final Path LENET = Path.of("../demo/models/fmnist-lenet.safetensors");
    static final Path ONNX = Path.of("../feint-onnx/src/test/resources/onnx/fashion-cnn-opset13.onnx");
    static final Path ONNX_17 = Path.of("../feint-onnx/src/test/resources/onnx/resnet18-w12-opset17.onnx");
    static final Path PT = Path.of("../feint-djl/src/test/resources/djl/lenet-pgd.pt");
    static final Path STATE_DICT = Path.of("../feint-djl/src/test/resources/djl/state-dict.pt");

    /** A model holding something native: counts its closes, or fails them with a checked exception. */
    private record NativeModel(int[] closes, boolean fail) implements Model, AutoCloseable {
        @Override public Tensor logits(Tensor x) { throw new UnsupportedOperationException(); }
        @Override public int numClasses() { return 2; }
        @Override public Bounds bounds() { return new Bounds(0f, 1f); }
        @Override public int[] inputShape() { return new int[] {1, 1, 1}; }
        @Override public void close() throws java.io.IOException {
            closes[0]++;
            if (fail) throw new java.io.IOException("the device is gone");
        }
    }

    @Test void closeFreesANativeModelAndLeavesAJavaOneAlone() {
        int[] closes = {0};
        Models.close(new NativeModel(closes, false));
        assertEquals(1, closes[0]);
        Models.close(null);
        try (LoadedModel m = Models.load(LENET)) {
            assertEquals(10, m.model().numClasses());
        }
        FeintException e = assertThrows(FeintException.class, () -> Models.close(new NativeModel(closes, true)));
        assertEquals("closing the model failed (the device is gone)", e.getMessage());
        assertEquals(2, closes[0]);
    }

    @Test void aFeintWeightsFileLoadsWithItsClassNamesAndMetadata() {
        LoadedModel m = Models.load(LENET, ModelOptions.defaults());
        assertEquals("fmnist-lenet.safetensors", m.name());
        assertEquals("Ankle boot", m.classNames().get(9));
        assertEquals("feint/1", m.metadata().get("format"));
        assertInstanceOf(NetworkModel.class, m.model());
        assertEquals("safetensors", Models.format(LENET));
        assertTrue(Models.formats().contains("safetensors"));
    }

    @Test void theContentDecidesNotTheExtension(@TempDir Path tmp) throws Exception {
        Path disguised = Files.copy(LENET, tmp.resolve("lenet.onnx"));
        LoadedModel m = Models.load(disguised);
        Tensor x = Tensor.zeros(2, 1, 28, 28);
        assertArrayEquals(Models.load(LENET).model().logits(x).data(), m.model().logits(x).data());
        assertEquals("safetensors", Models.format(Files.copy(LENET, tmp.resolve("lenet.pt"))));
        // An ONNX or TorchScript file under another name is still found to be one (its module is missing here).
        var onnx = assertThrows(ModelLoadException.class, () -> Models.load(Files.copy(ONNX, tmp.resolve("cnn.safetensors"))));
        assertEquals("onnx", onnx.format());
        var pt = assertThrows(ModelLoadException.class, () -> Models.load(Files.copy(PT, tmp.resolve("lenet.bin"))));
        assertEquals("torchscript", pt.format());
    }

    @Test void aFormatWhoseModuleIsMissingNamesTheArtifact() {
        var onnx = assertThrows(ModelLoadException.class, () -> Models.load(ONNX));
        assertEquals(ModelLoadException.Kind.FORMAT_UNAVAILABLE, onnx.kind());
        assertEquals("dev.feint:feint-onnx", onnx.artifact());
        assertEquals(ONNX + ": ONNX (.onnx) model; reading it needs dev.feint:feint-onnx on the class path or module path", onnx.getMessage());
        assertEquals("onnx", assertThrows(ModelLoadException.class, () -> Models.format(ONNX_17)).format());
        for (Path p : new Path[] {PT, STATE_DICT}) {
            var pt = assertThrows(ModelLoadException.class, () -> Models.load(p, ModelOptions.defaults().inputShape(1, 28, 28)));
            assertEquals("dev.feint:feint-djl", pt.artifact());
            assertTrue(pt.getMessage().startsWith(p + ": TorchScript (.pt, through DJL's PyTorch engine) model; reading it needs dev.feint:feint-djl"),
                    pt.getMessage());
        }
    }

    @Test void unknownContentIsDescribedWithTheFormatsSupported(@TempDir Path tmp) throws Exception {
        Path text = Files.writeString(tmp.resolve("model.onnx"), "not a model\n");
        var e = assertThrows(ModelLoadException.class, () -> Models.load(text));
        assertEquals(ModelLoadException.Kind.UNKNOWN_FORMAT, e.kind());
        assertEquals(text + ": not a model file Feint reads (it is text starting 'not a model'); expected Feint weights (.safetensors), "
                + "ONNX (.onnx) with dev.feint:feint-onnx, not on the path or TorchScript (.pt, through DJL's PyTorch engine) with "
                + "dev.feint:feint-djl, not on the path", e.getMessage());
        assertTrue(message(tmp, "empty.pt", new byte[0]).contains("(it is an empty file)"));
        assertTrue(message(tmp, "legacy.pt", new byte[] {(byte) 0x80, 2, 0x7d, 0x71}).contains("(it is a Python pickle (torch.save's legacy format"));
        assertTrue(message(tmp, "m.bin", new byte[] {1, 2, 3, (byte) 0xff, 0, 9}).contains("(it is binary data starting with bytes 01 02 03 ff 00 09)"));
        Path zip = tmp.resolve("weights.pt");
        try (var z = new ZipOutputStream(Files.newOutputStream(zip))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hello".getBytes());
        }
        assertTrue(assertThrows(ModelLoadException.class, () -> Models.load(zip)).getMessage()
                .contains("(it is a zip archive whose first entry is 'readme.txt' (not a PyTorch archive))"));
        // A safetensors-like length prefix that does not fit the file is not taken for safetensors.
        assertTrue(message(tmp, "short.safetensors", new byte[] {(byte) 0xff, 0, 0, 0, 0, 0, 0, 0, '{', '}'}).contains("binary data"));
    }

    @Test void missingFilesAndDirectoriesAreNamed(@TempDir Path tmp) throws Exception {
        // The formats listed are those of the unknown-content message, from the same list: here neither module is on the path.
        String formats = "Feint weights (.safetensors), ONNX (.onnx) with dev.feint:feint-onnx, not on the path or TorchScript (.pt, "
                + "through DJL's PyTorch engine) with dev.feint:feint-djl, not on the path";
        var missing = assertThrows(FeintException.class, () -> Models.load(tmp.resolve("no-such.pt")));
        assertEquals(tmp.resolve("no-such.pt") + ": no such file (expected a model file: " + formats + ")", missing.getMessage());
        assertEquals(tmp + ": is a directory (expected a model file: " + formats + ")",
                assertThrows(FeintException.class, () -> Models.load(tmp)).getMessage());
        assertEquals("model: no file given (expected " + formats + ")", assertThrows(FeintException.class, () -> Models.load(null)).getMessage());
        Path text = Files.writeString(tmp.resolve("notes.txt"), "not a model");
        assertTrue(assertThrows(ModelLoadException.class, () -> Models.load(text)).getMessage().endsWith("; expected " + formats));
    }

    @Test void optionsTheFormatDoesNotTakeAreRefusedByParameter() {
        var shape = assertThrows(ModelLoadException.class, () -> Models.load(LENET, ModelOptions.defaults().inputShape(1, 28, 28)));
        assertEquals(ModelLoadException.Kind.NOT_TAKEN, shape.kind());
        assertEquals(ModelOptions.INPUT_SHAPE, shape.parameter());
        assertEquals(LENET + ": option inputShape is not taken by format safetensors (it records its input shape)", shape.getMessage());
        var pre = assertThrows(ModelLoadException.class, () -> Models.load(LENET, ModelOptions.defaults().preprocessing(InputPreprocessing.DEFAULT)));
        assertEquals(ModelOptions.PREPROCESSING, pre.parameter());
        assertTrue(pre.getMessage().contains("carries its own preprocessing and class names"), pre.getMessage());
        var names = assertThrows(ModelLoadException.class, () -> Models.load(LENET, ModelOptions.defaults().classNames(java.util.List.of("a"))));
        assertEquals(ModelOptions.CLASS_NAMES, names.parameter());
        var bad = assertThrows(ModelLoadException.class, () -> ModelOptions.defaults().inputShape(1, 0, 28));
        assertEquals(ModelLoadException.Kind.INVALID, bad.kind());
        assertEquals("option inputShape = [1, 0, 28], expected three positive sizes c, h, w", bad.getMessage());
        assertNull(bad.file());
    }

    @Test void optionsAreImmutableAndSayWhatWasGiven() {
        ModelOptions d = ModelOptions.defaults();
        ModelOptions o = d.inputShape(3, 32, 32).classNames(java.util.List.of("a", "b"));
        assertTrue(d.given().isEmpty());
        assertEquals(java.util.List.of(ModelOptions.INPUT_SHAPE, ModelOptions.CLASS_NAMES), java.util.List.copyOf(o.given()));
        assertEquals(InputPreprocessing.DEFAULT, o.preprocessing());
        int[] s = o.inputShape();
        s[0] = 9;
        assertArrayEquals(new int[] {3, 32, 32}, o.inputShape());
        assertFalse(o.allowNonfinite());
        assertEquals(new InputPreprocessing(Bounds.UNIT, new float[] {0f}, new float[] {1f}, false, false), InputPreprocessing.DEFAULT);
    }

    @Test void onnxDetectionWalksTheProtobufFields() throws Exception {
        byte[] onnx = Files.readAllBytes(ONNX);
        assertTrue(ModelFiles.onnx(onnx, onnx.length));
        assertTrue(ModelFiles.onnx(java.util.Arrays.copyOf(onnx, 64), onnx.length), "the head of a file");
        assertTrue(ModelFiles.onnx(onnx, 40), "a truncated file is still ONNX (the importer names the truncation)");
        assertTrue(ModelFiles.onnx(new byte[] {0x3a, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 1, 2}, 7), "a graph longer than the file");
        assertFalse(ModelFiles.onnx(new byte[] {0x12, 0x03, 'a', 'b', 'c', 0x12, 0x01, 'x'}, 8), "names only: neither ir_version nor a graph");
        assertFalse(ModelFiles.onnx(new byte[] {0x38, 0x01}, 2), "graph as a varint: wrong wire type");
        assertFalse(ModelFiles.onnx("{\"a\": 1}".getBytes(), 8));
        assertFalse(ModelFiles.onnx(new byte[] {0x50, 0x4b, 3, 4}, 4), "a zip's PK is no ModelProto field");
        assertTrue(ModelFiles.onnx(new byte[] {0x08, 0x07}, 2), "ir_version that is the whole file (the importer then says there is no graph)");
        assertFalse(ModelFiles.onnx(new byte[] {0x08, 0x07}, 100), "ir_version, then nothing where the file goes on");
        assertFalse(ModelFiles.onnx(new byte[] {0x08, (byte) 0xc8, 0x01}, 3), "an ir_version of 200");
    }

    private static String message(Path dir, String name, byte[] content) throws Exception {
        Path f = Files.write(dir.resolve(name), content);
        return assertThrows(ModelLoadException.class, () -> Models.load(f)).getMessage();
    }
}
