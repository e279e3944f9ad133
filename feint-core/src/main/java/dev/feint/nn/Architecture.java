package dev.feint.nn;

import dev.feint.FeintException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A network description: input shape [c, h, w], classes, and a list of layers that builds a
 * {@link Sequential} whose parameter names match the equivalent PyTorch nn.Sequential.
 *
 * @param name       the architecture's name (a preset's, or the spec's)
 * @param input      the input shape [c, h, w]
 * @param numClasses the number of classes (outputs)
 * @param layers     the layers, in order
 */
public record Architecture(String name, int[] input, int numClasses, List<LayerSpec> layers) {
    /** The type of the one layer of an imported graph's description: its layers live in its model file. */
    public static final String GRAPH = "graph";

    /**
     * Copies the arrays and checks the sizes.
     *
     * @throws FeintException if the input is not a sane [c, h, w], the class count is outside [2, 100000] or there is no layer
     */
    public Architecture {
        input = input.clone();
        layers = List.copyOf(layers);
        if (input.length != 3 || input[0] < 1 || input[1] < 1 || input[2] < 1 || input[0] > 64 || input[1] > 4096 || input[2] > 4096)
            throw new FeintException("architecture '" + name + "': input must be [c,h,w] with sane sizes, got "
                    + java.util.Arrays.toString(input));
        if (numClasses < 2 || numClasses > 100_000)
            throw new FeintException("architecture '" + name + "': classes must be in [2, 100000], got " + numClasses);
        if (layers.isEmpty()) throw new FeintException("architecture '" + name + "': no layers");
    }

    /**
     * An imported graph's description (an ONNX file's input and classes): a {@link Network} over a
     * {@link Graph} body carries it; it cannot be built or planned from a spec.
     *
     * @param name the model's name
     * @param input the input shape [c, h, w]
     * @param numClasses the number of classes
     * @return the description
     */
    public static Architecture graph(String name, int[] input, int numClasses) {
        return new Architecture(name, input, numClasses, List.of(LayerSpec.of(GRAPH)));
    }

    /** {@return true for {@link #graph}'s descriptions (imported graphs)} */
    public boolean isGraph() { return layers.size() == 1 && layers.get(0).type().equals(GRAPH); }

    /**
     * Builds the network with seeded initial weights. The shapes, sizes and cost are checked by
     * arithmetic first ({@link #plan()}), so nothing is allocated for a spec that does not fit.
     *
     * @param seed the seed of the initial weights
     * @return the layers, named as the spec says
     * @throws FeintException if the spec does not fit its input or a limit
     */
    public Sequential build(long seed) {
        ArchitecturePlan plan = plan();
        SplittableRandom rng = new SplittableRandom(seed);
        List<Module> mods = new ArrayList<>();
        for (var make : plan.makers()) mods.add(make.apply(rng));
        List<String> names = new ArrayList<>();
        for (LayerSpec l : layers) names.add(l.options().get("name") instanceof String n ? n : null);
        return new Sequential(mods, names);
    }

    /** {@return the output shapes, sizes and cost of this spec, computed without building it} */
    public ArchitecturePlan plan() {
        if (isGraph())
            throw new FeintException("architecture '" + name + "' is an imported graph: its layers are in its model file, not a layer list");
        return ArchitecturePlan.of(this);
    }

    /** {@return the JSON-ready form: {"name", "input", "classes", "layers": [...]}} */
    public Map<String, Object> toMap() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        List<Object> in = new ArrayList<>();
        for (int d : input) in.add((long) d);
        m.put("input", in);
        m.put("classes", (long) numClasses);
        List<Object> ls = new ArrayList<>();
        for (LayerSpec l : layers) ls.add(l.toMap());
        m.put("layers", ls);
        return m;
    }

    /**
     * Parses the form written by {@link #toMap()}, with clear errors.
     *
     * @param parsed the parsed JSON value
     * @param where names the source in messages
     * @return the architecture
     * @throws FeintException naming the first field that is missing or wrong
     */
    @SuppressWarnings("unchecked")
    public static Architecture fromMap(Object parsed, String where) {
        if (!(parsed instanceof Map<?, ?> m))
            throw new FeintException(where + ": architecture must be a JSON object with name, input, classes, layers");
        Object name = m.get("name"), input = m.get("input"), classes = m.get("classes"), layers = m.get("layers");
        if (!(input instanceof List<?> il) || il.size() != 3)
            throw new FeintException(where + ": architecture 'input' must be [c, h, w], got " + input);
        int[] in = new int[3];
        for (int i = 0; i < 3; i++) {
            if (!(il.get(i) instanceof Number n)) throw new FeintException(where + ": architecture 'input' must hold integers, got " + input);
            in[i] = (int) Math.max(-1, Math.min(Integer.MAX_VALUE, n.longValue()));
        }
        if (!(classes instanceof Number cn)) throw new FeintException(where + ": architecture 'classes' must be an integer, got " + classes);
        if (!(layers instanceof List<?> ll)) throw new FeintException(where + ": architecture 'layers' must be a list");
        if (ll.size() > 10_000) throw new FeintException(where + ": architecture has " + ll.size() + " layers (limit 10000)");
        List<LayerSpec> specs = new ArrayList<>();
        for (Object o : ll) {
            if (!(o instanceof Map<?, ?> lm) || !(lm.get("type") instanceof String t))
                throw new FeintException(where + ": each layer must be an object with a string 'type', got " + o);
            LinkedHashMap<String, Object> opts = new LinkedHashMap<>((Map<String, Object>) lm);
            opts.remove("type");
            specs.add(new LayerSpec(t, opts));
        }
        return new Architecture(name instanceof String s ? s : "custom", in,
                (int) Math.max(-1, Math.min(Integer.MAX_VALUE, cn.longValue())), specs);
    }
}
