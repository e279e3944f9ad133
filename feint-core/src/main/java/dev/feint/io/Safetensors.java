package dev.feint.io;

import dev.feint.tensor.Tensor;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Weights in the ecosystem's safetensors format: an 8-byte little-endian header length N, an
 * N-byte JSON header ({@code {"name":{"dtype","shape","data_offsets"}, "__metadata__":{..}}}),
 * then raw little-endian data. Files written here load with Python's
 * {@code safetensors.torch.load_file}; files from Python load here. Reading treats the file as
 * untrusted (see {@link SafetensorsReader}).
 *
 * <pre>{@code
 * Safetensors.write(path, Map.of("fc.weight", w), Map.of("arch", "mlp"));
 * SafetensorsFile f = Safetensors.read(path);
 * Tensor w2 = f.tensors().get("fc.weight");
 * }</pre>
 */
public final class Safetensors {
    /** Largest JSON header accepted, as in the reference implementation. */
    public static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Largest element count of one tensor (a Java array limit). */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Safetensors() {}

    /**
     * Reads every tensor; a malformed or hostile file gives a {@link dev.feint.FeintException} naming it.
     *
     * @param file the {@code .safetensors} file
     * @return its tensors and metadata
     */
    public static SafetensorsFile read(Path file) {
        try (SafetensorsReader r = open(file)) {
            return r.readAll();
        }
    }

    /**
     * Opens {@code file} and checks its header, reading no tensor data yet (see {@link SafetensorsReader}).
     *
     * @param file the {@code .safetensors} file
     * @return the open reader, to close
     */
    public static SafetensorsReader open(Path file) { return SafetensorsReader.open(file); }

    /**
     * Writes F32 tensors (in map order) and metadata (null or empty for none), atomically.
     *
     * @param file where to write
     * @param tensors the tensors by name
     * @param metadata the {@code __metadata__} strings, or null
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        write(file, tensors, Map.of(), metadata);
    }

    /**
     * Writes F32 tensors, then I64 tensors, each in map order. An I64 array of length 1 is
     * written as a scalar (shape {@code []}, as PyTorch stores {@code num_batches_tracked});
     * longer arrays get shape {@code [n]}.
     *
     * @param file where to write
     * @param tensors the float tensors by name
     * @param int64Tensors the integer tensors by name
     * @param metadata the {@code __metadata__} strings, or null
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, long[]> int64Tensors,
                             Map<String, String> metadata) {
        Map<String, int[]> shapes = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : int64Tensors.entrySet())
            shapes.put(e.getKey(), e.getValue().length == 1 ? new int[0] : new int[] {e.getValue().length});
        SafetensorsWriter.write(file, tensors, int64Tensors, shapes, metadata);
    }

    /**
     * Writes everything in {@code content}, keeping integer tensors' shapes (integers as I64).
     *
     * @param file where to write
     * @param content the tensors and metadata, as {@link #read} gives them
     */
    public static void write(Path file, SafetensorsFile content) {
        SafetensorsWriter.write(file, content.tensors(), content.intTensors(), content.intShapes(), content.metadata());
    }
}
