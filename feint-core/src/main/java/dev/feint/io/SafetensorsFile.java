package dev.feint.io;

import dev.feint.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The content of a safetensors file.
 *
 * @param tensors    floating tensors (F32/F16/BF16/F64, converted to float32), in header order
 * @param metadata   the {@code __metadata__} string map (empty if absent)
 * @param intTensors integer tensors (I64/I32/I16/I8/U8/BOOL) as raw values, in header order
 * @param intShapes  the shape of each entry of {@code intTensors}
 */
public record SafetensorsFile(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata,
                              Map<String, long[]> intTensors, Map<String, int[]> intShapes) {

    /**
     * Float tensors and metadata only; no integer tensors.
     *
     * @param tensors floating tensors, in file order
     * @param metadata the {@code __metadata__} string map
     */
    public SafetensorsFile(LinkedHashMap<String, Tensor> tensors, Map<String, String> metadata) {
        this(tensors, metadata, new LinkedHashMap<>(), new LinkedHashMap<>());
    }

    /**
     * Checks that every integer tensor has a shape and the reverse.
     *
     * @throws IllegalArgumentException if the names of {@code intTensors} and {@code intShapes} differ
     */
    public SafetensorsFile {
        if (!intTensors.keySet().equals(intShapes.keySet()))
            throw new IllegalArgumentException("intTensors and intShapes must have the same names");
    }
}
