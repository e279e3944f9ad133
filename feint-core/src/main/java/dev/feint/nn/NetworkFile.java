package dev.feint.nn;

import dev.feint.FeintException;
import dev.feint.io.Json;
import dev.feint.io.Safetensors;
import dev.feint.io.SafetensorsReader;
import dev.feint.tensor.Tensor;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and loads a {@link Network} as safetensors. Tensor names and layouts are those of the
 * equivalent PyTorch nn.Sequential; {@code __metadata__} holds the architecture (JSON), the
 * normalisation, class names and whatever provenance the caller adds (dataset, seed, recipe).
 */
public final class NetworkFile {
    /** The {@code format} metadata value of files this class writes. */
    public static final String FORMAT = "feint/1";
    /** Networks up to this many floats (64 MB) are built before the file's tensors are compared with them. */
    private static final long FREE_BUILD_FLOATS = 1L << 24;

    private NetworkFile() {}

    /**
     * A loaded network with its metadata.
     *
     * @param network the network, in evaluation mode
     * @param metadata the file's {@code __metadata__}
     * @param classNames the class names, by label
     */
    public record Loaded(Network network, Map<String, String> metadata, List<String> classNames) {}

    /**
     * Saves a network as safetensors with its architecture, normalisation and class names, atomically.
     *
     * @param file where to write
     * @param net the network (a layer list, not an imported graph)
     * @param classNames the class names, by label
     * @param extra provenance to add to the metadata, or null
     * @throws IllegalArgumentException if the network is an imported graph
     */
    public static void save(Path file, Network net, List<String> classNames, Map<String, String> extra) {
        if (net.architecture().isGraph())
            throw new IllegalArgumentException("network '" + net.architecture().name() + "' is an imported graph; its importer saves it "
                    + "(feint-onnx's OnnxTraining), this file format holds layer lists");
        LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
        var params = net.body().namedParameters();
        var buffers = net.body().namedBuffers();
        // PyTorch's state_dict order: per module, parameters then buffers; names are unique anyway.
        // AdvProp's auxiliary BatchNorms are training-time only: the saved model uses the main ones.
        for (var e : params.entrySet()) if (!isAux(e.getKey())) tensors.put(e.getKey(), e.getValue().detach());
        for (var e : buffers.entrySet()) if (!isAux(e.getKey())) tensors.put(e.getKey(), Tensor.of(e.getValue(), e.getValue().length));
        LinkedHashMap<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("architecture", Json.write(net.architecture().toMap()));
        LinkedHashMap<String, Object> norm = new LinkedHashMap<>();
        norm.put("mean", floats(net.mean()));
        norm.put("std", floats(net.std()));
        meta.put("normalization", Json.write(norm));
        meta.put("classes", Json.write(new ArrayList<Object>(classNames)));
        if (extra != null) meta.putAll(extra);
        LinkedHashMap<String, long[]> counters = new LinkedHashMap<>();
        for (var e : net.body().namedCounters().entrySet()) if (!isAux(e.getKey())) counters.put(e.getKey(), e.getValue());
        Safetensors.write(file, tensors, counters, meta);
    }

    private static boolean isAux(String name) { return name.contains("aux."); }

    private static List<Object> floats(float[] a) {
        List<Object> l = new ArrayList<>();
        for (float f : a) l.add((double) f);
        return l;
    }

    /**
     * Loads a network, refusing non-finite weights.
     *
     * @param file the weights file
     * @return the network and its metadata
     */
    public static Loaded load(Path file) { return load(file, false); }

    /**
     * Loads a network written by {@link #save} (or an equivalent PyTorch state_dict). The order
     * is what keeps a hostile file cheap: header, then the architecture planned by arithmetic,
     * then the header's names, dtypes and shapes checked against it, and only then the data.
     * Weights or normalisation that are NaN or infinite are refused unless {@code allowNonfinite}.
     *
     * @param file the weights file
     * @param allowNonfinite whether to accept NaN or infinite weights
     * @return the network and its metadata
     * @throws FeintException naming the file and what is wrong with it
     */
    public static Loaded load(Path file, boolean allowNonfinite) {
        try (SafetensorsReader f = Safetensors.open(file)) {
            return load(f, allowNonfinite);
        }
    }

    private static Loaded load(SafetensorsReader f, boolean allowNonfinite) {
        Map<String, String> meta = f.metadata();
        String where = f.file().toString();
        String archJson = meta.get("architecture");
        if (archJson == null)
            throw new FeintException(where + ": no 'architecture' in the safetensors metadata (expected a file written by feint train)");
        Architecture arch;
        ArchitecturePlan plan;
        try {
            arch = Architecture.fromMap(Json.parse(archJson, where + " metadata 'architecture'"), where);
            plan = arch.plan();
        } catch (FeintException e) {
            throw e.getMessage().startsWith(where) ? e : new FeintException(where + ": " + e.getMessage(), e);
        }
        // Building allocates what the architecture declares: past a small size, only if the file
        // really holds that much (then the names and shapes are compared one by one).
        if (plan.storedFloats() > Math.max(f.floatElements(), FREE_BUILD_FLOATS))
            throw new FeintException(where + ": holds " + f.floatElements() + " floating-point values but architecture '"
                    + arch.name() + "' needs " + plan.storedFloats() + " (expected the tensors of that architecture)");
        Sequential body = arch.build(0);
        var params = body.namedParameters();
        var buffers = body.namedBuffers();
        var counters = body.namedCounters();
        Map<String, int[]> floats = new LinkedHashMap<>();
        for (var e : params.entrySet()) floats.put(e.getKey(), e.getValue().shape().dims());
        for (var e : buffers.entrySet()) floats.put(e.getKey(), new int[] {e.getValue().length});
        Map<String, int[]> ints = new LinkedHashMap<>();
        for (String name : counters.keySet()) ints.put(name, new int[0]);
        f.expect(floats, ints, "architecture '" + arch.name() + "'");
        for (var e : params.entrySet()) {
            read(f, e.getKey(), e.getValue().data(), allowNonfinite);
            e.getValue().markModified();
        }
        for (var e : buffers.entrySet()) read(f, e.getKey(), e.getValue(), allowNonfinite);
        for (var e : counters.entrySet())
            if (f.entries().containsKey(e.getKey())) e.getValue()[0] = f.readLongs(e.getKey())[0];
        int c = arch.input()[0];
        float[] mean = new float[c], std = new float[c];
        java.util.Arrays.fill(std, 1f);
        String normJson = meta.get("normalization");
        if (normJson != null) {
            Object n = Json.parse(normJson, where + " metadata 'normalization'");
            if (n instanceof Map<?, ?> m) {
                readFloats(where, "mean", m.get("mean"), mean);
                readFloats(where, "std", m.get("std"), std);
            }
        }
        List<String> classes = new ArrayList<>();
        String cj = meta.get("classes");
        if (cj != null && Json.parse(cj, where + " metadata 'classes'") instanceof List<?> l)
            for (Object o : l) classes.add(String.valueOf(o));
        if (classes.size() != arch.numClasses()) {
            classes.clear();
            for (int i = 0; i < arch.numClasses(); i++) classes.add(Integer.toString(i));
        }
        Network net;
        try {
            net = new Network(arch, body, mean, std);
        } catch (IllegalArgumentException e) {
            throw new FeintException(where + ": bad normalisation in metadata: " + e.getMessage());
        }
        net.eval();
        return new Loaded(net, meta, classes);
    }

    private static void read(SafetensorsReader f, String name, float[] dst, boolean allowNonfinite) {
        f.readFloats(name, dst);
        if (allowNonfinite) return;
        for (int i = 0; i < dst.length; i++)
            if (!Float.isFinite(dst[i]))
                throw new FeintException(f.file() + ": tensor '" + name + "' holds " + dst[i] + " at index " + i
                        + " (expected finite weights; " + FeintException.parameter("allowNonfinite") + " loads it anyway)");
    }

    private static void readFloats(String where, String key, Object v, float[] into) {
        if (!(v instanceof List<?> l) || l.size() != into.length)
            throw new FeintException(where + ": normalisation '" + key + "' must be a list of " + into.length + " numbers, got " + v);
        for (int i = 0; i < into.length; i++) {
            if (!(l.get(i) instanceof Number n))
                throw new FeintException(where + ": normalisation '" + key + "' must hold numbers, got " + v);
            into[i] = n.floatValue();
            if (!Float.isFinite(into[i]))
                throw new FeintException(where + ": normalisation '" + key + "' holds " + n + " (expected finite numbers)");
        }
    }
}
