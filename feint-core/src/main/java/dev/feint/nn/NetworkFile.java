package dev.feint.nn;

import dev.feint.FeintException;
import dev.feint.io.Json;
import dev.feint.io.Safetensors;
import dev.feint.io.SafetensorsFile;
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
    public static final String FORMAT = "feint/1";

    private NetworkFile() {}

    /** A loaded network with its metadata. */
    public record Loaded(Network network, Map<String, String> metadata, List<String> classNames) {}

    public static void save(Path file, Network net, List<String> classNames, Map<String, String> extra) {
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

    public static Loaded load(Path file) {
        SafetensorsFile f = Safetensors.read(file);
        Map<String, String> meta = f.metadata();
        String where = file.toString();
        String archJson = meta.get("architecture");
        if (archJson == null)
            throw new FeintException(where + ": no 'architecture' in the safetensors metadata (expected a file written by feint train)");
        Architecture arch = Architecture.fromMap(Json.parse(archJson, where + " metadata 'architecture'"), where);
        Sequential body = arch.build(0);
        var params = body.namedParameters();
        var buffers = body.namedBuffers();
        for (var e : params.entrySet()) {
            copyInto(where, e.getKey(), e.getValue().data(), e.getValue().shape().dims(), f);
            e.getValue().markModified();
        }
        for (var e : buffers.entrySet()) copyInto(where, e.getKey(), e.getValue(), new int[] {e.getValue().length}, f);
        for (var e : body.namedCounters().entrySet()) {
            long[] v = f.intTensors().get(e.getKey());
            if (v != null && v.length == 1) e.getValue()[0] = v[0];
        }
        for (String name : f.tensors().keySet())
            if (!params.containsKey(name) && !buffers.containsKey(name))
                throw new FeintException(where + ": unexpected tensor '" + name + "' for architecture '" + arch.name() + "'");
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

    private static void readFloats(String where, String key, Object v, float[] into) {
        if (!(v instanceof List<?> l) || l.size() != into.length)
            throw new FeintException(where + ": normalisation '" + key + "' must be a list of " + into.length + " numbers, got " + v);
        for (int i = 0; i < into.length; i++) {
            if (!(l.get(i) instanceof Number n))
                throw new FeintException(where + ": normalisation '" + key + "' must hold numbers, got " + v);
            into[i] = n.floatValue();
        }
    }

    private static void copyInto(String where, String name, float[] dst, int[] dims, SafetensorsFile f) {
        Tensor t = f.tensors().get(name);
        if (t == null) throw new FeintException(where + ": missing tensor '" + name + "' (expected shape " + java.util.Arrays.toString(dims) + ")");
        if (!java.util.Arrays.equals(t.shape().dims(), dims))
            throw new FeintException(where + ": tensor '" + name + "' has shape " + t.shape() + ", expected "
                    + java.util.Arrays.toString(dims));
        System.arraycopy(t.data(), 0, dst, 0, dst.length);
    }
}
