package dev.feint.nn;

import dev.feint.FeintException;
import dev.feint.io.Json;
import dev.feint.io.Safetensors;
import dev.feint.tensor.Tensor;
import dev.feint.testing.Allocations;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Small or sparse files that used to cost gigabytes: each must be refused from its header, with
 * the allocation measured, so the bound (not the test's heap) is what stops it.
 */
class HostileModelFilesTest {
    private static final long MB = 1 << 20;
    @TempDir Path dir;

    private Path model() {
        Architecture a = Presets.get("mlp", 1, 28, 28, 10);
        Path f = dir.resolve("m.safetensors");
        NetworkFile.save(f, Network.create(a, 1), List.of(), Map.of());
        return f;
    }

    /** Rewrites {@code src} with one more header entry of {@code bytes} bytes, the extension left sparse. */
    @SuppressWarnings("unchecked")
    private Path withExtraTensor(Path src, String dtype, long elements, long bytes) throws IOException {
        byte[] all = Files.readAllBytes(src);
        long n = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        var header = (Map<String, Object>) Json.parse(new String(all, 8, (int) n, StandardCharsets.UTF_8));
        long dataLen = all.length - 8 - n;
        LinkedHashMap<String, Object> extra = new LinkedHashMap<>();
        extra.put("dtype", dtype);
        extra.put("shape", List.of(elements));
        extra.put("data_offsets", List.of(dataLen, dataLen + bytes));
        header.put("junk", extra);
        byte[] h = Json.write(header).getBytes(StandardCharsets.UTF_8);
        Path out = dir.resolve("extra-" + dtype + ".safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(out.toFile(), "rw")) {
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            raf.write(h);
            raf.write(all, (int) (8 + n), (int) dataLen);
            raf.setLength(8 + h.length + dataLen + bytes);
        }
        return out;
    }

    @Test
    void anExtraHugeIntegerTensorIsRefusedBeforeAnyDataIsRead() throws IOException {
        Path f = withExtraTensor(model(), "U8", 1_200_000_000L, 1_200_000_000L);
        var e = assertThrows(FeintException.class, () -> NetworkFile.load(f));
        assertEquals(f + ": unexpected tensor 'junk' for architecture 'mlp'", e.getMessage());
        assertTrue(Allocations.of(() -> NetworkFile.load(f)) < 64 * MB);
    }

    @Test
    void anExtraHugeHalfPrecisionTensorIsRefusedBeforeAnyDataIsRead() throws IOException {
        Path f = withExtraTensor(model(), "F16", 2_000_000_000L, 4_000_000_000L);
        long t0 = System.nanoTime();
        var e = assertThrows(FeintException.class, () -> NetworkFile.load(f));
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        assertEquals(f + ": unexpected tensor 'junk' for architecture 'mlp'", e.getMessage());
        assertTrue(Allocations.of(() -> NetworkFile.load(f)) < 64 * MB);
    }

    @Test
    void genericReadingRefusesToWidenALargeIntegerTensor() throws IOException {
        Path f = withExtraTensor(model(), "U8", 100_000_000L, 100_000_000L);
        var e = assertThrows(FeintException.class, () -> Safetensors.read(f));
        assertEquals(f + ": integer tensor 'junk' has 100000000 elements (expected at most 65536: Feint reads only counters as integers)",
                e.getMessage());
    }

    @Test
    void aHeaderOfEmptyObjectsIsBoundedByTheValueBudget() throws IOException {
        StringBuilder sb = new StringBuilder(12 * (int) MB).append("{\"x\":[");
        for (int i = 0; i < 3_500_000; i++) sb.append(i == 0 ? "{}" : ",{}");
        sb.append("]}");
        byte[] h = sb.toString().getBytes(StandardCharsets.US_ASCII);
        Path f = dir.resolve("objects.safetensors");
        Files.write(f, ByteBuffer.allocate(8 + h.length).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h).array());
        var e = assertThrows(FeintException.class, () -> Safetensors.read(f));
        assertTrue(e.getMessage().endsWith("more than 1000000 values (expected at most 1000000)"), e.getMessage());
        long bytes = Allocations.of(() -> Safetensors.read(f));
        assertTrue(bytes < 4L * h.length, bytes + " bytes allocated for a " + h.length + "-byte header");
    }

    @Test
    void aHugeArchitectureInTheMetadataIsRefusedByArithmetic() throws IOException {
        String arch = "{\"name\":\"big\",\"input\":[64,4096,4096],\"classes\":10,\"layers\":[{\"type\":\"flatten\"},"
                + "{\"type\":\"linear\",\"in\":1073741824,\"out\":10}]}";
        Path f = dir.resolve("big.safetensors");
        Safetensors.write(f, Map.of(), Map.of("architecture", arch));
        var e = assertThrows(FeintException.class, () -> NetworkFile.load(f));
        assertEquals(f + ": architecture 'big' input [64, 4096, 4096] has 1073741824 elements per image (expected at most 16777216)",
                e.getMessage());
        assertTrue(Allocations.of(() -> NetworkFile.load(f)) < 16 * MB);
    }

    @Test
    void aLargeArchitectureIsOnlyBuiltIfTheFileHoldsItsWeights() {
        String arch = "{\"name\":\"wide\",\"input\":[1,64,64],\"classes\":10,\"layers\":[{\"type\":\"flatten\"},"
                + "{\"type\":\"linear\",\"in\":4096,\"out\":16384},{\"type\":\"linear\",\"in\":16384,\"out\":10}]}";
        Path f = dir.resolve("wide.safetensors");
        Safetensors.write(f, Map.of(), Map.of("architecture", arch));
        var e = assertThrows(FeintException.class, () -> NetworkFile.load(f));
        assertEquals(f + ": holds 0 floating-point values but architecture 'wide' needs 67289098 (expected the tensors of that architecture)",
                e.getMessage());
        assertTrue(Allocations.of(() -> NetworkFile.load(f)) < 16 * MB);
    }

    @Test
    void nonFiniteWeightsAndNormalisationAreRefusedUnlessAllowed() {
        Architecture a = Presets.get("mlp", 1, 28, 28, 10);
        Network net = Network.create(a, 1);
        net.body().namedParameters().get("3.weight").data()[5] = Float.NaN;
        Path f = dir.resolve("nan.safetensors");
        NetworkFile.save(f, net, List.of(), Map.of());
        var e = assertThrows(FeintException.class, () -> NetworkFile.load(f));
        assertEquals(f + ": tensor '3.weight' holds NaN at index 5 (expected finite weights; allowNonfinite "
                + "loads it anyway)", e.getMessage());
        assertTrue(Float.isNaN(NetworkFile.load(f, true).network().body().namedParameters().get("3.weight").data()[5]));

        var content = Safetensors.read(dir.resolve("nan.safetensors"));
        LinkedHashMap<String, String> meta = new LinkedHashMap<>(content.metadata());
        meta.put("normalization", "{\"mean\":[0.5],\"std\":[1e39]}");
        LinkedHashMap<String, Tensor> fine = new LinkedHashMap<>(content.tensors());
        fine.put("3.weight", Network.create(a, 1).body().namedParameters().get("3.weight").detach());
        Path g = dir.resolve("inf.safetensors");
        Safetensors.write(g, fine, meta);
        e = assertThrows(FeintException.class, () -> NetworkFile.load(g));
        assertEquals(g + ": normalisation 'std' holds 1.0E39 (expected finite numbers)", e.getMessage());
    }

    @Test
    void aFifoIsRefusedInsteadOfBlocking() throws Exception {
        Path fifo = dir.resolve("pipe.safetensors");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0);
        var e = assertThrows(FeintException.class, () -> NetworkFile.load(fifo));
        assertEquals(fifo + ": is not a regular file (a pipe or device?) (expected a .safetensors weights file)", e.getMessage());
        Path spec = dir.resolve("arch.json");
        assertTrue(new ProcessBuilder("mkfifo", spec.toString()).start().waitFor() == 0);
        e = assertThrows(FeintException.class, () -> Json.read(spec));
        assertEquals(spec + ": is not a regular file (a pipe or device?) (expected a JSON file)", e.getMessage());
    }

    @Test
    void aLargeTextFileIsRefusedFromItsSize() throws IOException {
        Path spec = dir.resolve("arch.json");
        try (RandomAccessFile raf = new RandomAccessFile(spec.toFile(), "rw")) {
            raf.setLength(3L << 30); // sparse 3 GB
        }
        var e = assertThrows(FeintException.class, () -> Json.read(spec));
        assertEquals(spec + ": is over 3221225472 bytes (expected a JSON file of at most 16777216 bytes)", e.getMessage());
        assertTrue(Allocations.of(() -> Json.read(spec)) < MB);
    }
}
