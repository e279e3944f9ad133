package dev.feint.train;

import dev.feint.FeintException;
import dev.feint.io.Json;
import dev.feint.io.Safetensors;
import dev.feint.io.SafetensorsFile;
import dev.feint.io.SafetensorsReader;
import dev.feint.nn.Network;
import dev.feint.optim.Optimizer;
import dev.feint.tensor.Tensor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * End-of-epoch training state in one safetensors file: weights, BatchNorm buffers, optimiser
 * state and the number of finished epochs. Written atomically, so a killed run leaves either the
 * previous checkpoint or the new one. Resuming restores everything the next epoch depends on;
 * shuffling and recipe randomness derive from (seed, epoch, step), so the resumed run ends with
 * the same weights as an uninterrupted one.
 */
public final class Checkpoint {
    private static final String PARAM = "model.", BUFFER = "buffer.", OPTIM = "optimizer.";

    private Checkpoint() {}

    /**
     * Writes net, opt and the epochs done to {@code file}, atomically: a killed run leaves the old file or the new one.
     *
     * @param file the checkpoint
     * @param net the network
     * @param opt its optimiser
     * @param epochsDone the epochs finished
     * @param fingerprint identifies the run ({@link #fingerprint})
     * @throws dev.feint.FeintException when the file cannot be written
     */
    public static void save(Path file, Network net, Optimizer opt, int epochsDone, String fingerprint) {
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        for (var e : net.body().namedParameters().entrySet()) t.put(PARAM + e.getKey(), e.getValue().detach());
        for (var e : net.body().namedBuffers().entrySet()) t.put(BUFFER + e.getKey(), Tensor.of(e.getValue().clone(), e.getValue().length));
        float[][] s = opt.state();
        for (int i = 0; i < s.length; i++) if (s[i] != null) t.put(OPTIM + i, Tensor.of(s[i].clone(), s[i].length));
        LinkedHashMap<String, long[]> counters = new LinkedHashMap<>();
        for (var e : net.body().namedCounters().entrySet()) counters.put(BUFFER + e.getKey(), e.getValue().clone());
        for (var e : net.body().namedRngCounters().entrySet()) counters.put("rng." + e.getKey(), e.getValue().clone());
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("epochsDone", Integer.toString(epochsDone));
        meta.put("optimizerSlots", Integer.toString(s.length));
        meta.put("fingerprint", fingerprint);
        Safetensors.write(file, t, counters, meta);
    }

    /**
     * Restores net and opt from file; returns the number of finished epochs.
     *
     * @param file the checkpoint
     * @param net the network to restore into
     * @param opt the optimiser to restore into
     * @param fingerprint the run's fingerprint, which must match the file's
     * @return the number of finished epochs
     * @throws dev.feint.FeintException when the file is missing, of another run, or malformed
     */
    public static int restore(Path file, Network net, Optimizer opt, String fingerprint) {
        if (!Files.isRegularFile(file)) throw new FeintException("no checkpoint at " + file);
        SafetensorsFile f;
        try (SafetensorsReader r = Safetensors.open(file)) {
            // Weights, buffers and at most two optimiser slots per weight (Adam): anything larger is not ours.
            long stored = 0;
            for (Tensor t : net.body().namedParameters().values()) stored += t.size();
            for (float[] b : net.body().namedBuffers().values()) stored += b.length;
            long limit = 3 * stored + 16;
            if (r.floatElements() > limit)
                throw new FeintException("checkpoint " + file + " holds " + r.floatElements() + " values (expected at most "
                        + limit + " for this network and optimiser)");
            f = r.readAll();
        }
        String fp = f.metadata().get("fingerprint");
        if (!fingerprint.equals(fp))
            throw new FeintException("checkpoint " + file + " was written by a different run (" + fp
                    + "); expected " + fingerprint + "; expected the fingerprint of the interrupted run");
        for (var e : net.body().namedParameters().entrySet()) {
            copy(file, f, PARAM + e.getKey(), e.getValue().data());
            e.getValue().markModified();
        }
        for (var e : net.body().namedBuffers().entrySet()) copy(file, f, BUFFER + e.getKey(), e.getValue());
        for (var e : net.body().namedCounters().entrySet()) {
            long[] v = f.intTensors().get(BUFFER + e.getKey());
            if (v != null && v.length == 1) e.getValue()[0] = v[0];
        }
        for (var e : net.body().namedRngCounters().entrySet()) {
            long[] v = f.intTensors().get("rng." + e.getKey());
            if (v != null && v.length == 1) e.getValue()[0] = v[0];
        }
        int slots = Integer.parseInt(f.metadata().getOrDefault("optimizerSlots", "0"));
        float[][] s = new float[slots][];
        for (int i = 0; i < slots; i++) {
            Tensor t = f.tensors().get(OPTIM + i);
            s[i] = t == null ? null : t.data().clone();
        }
        opt.loadState(s);
        return Integer.parseInt(f.metadata().getOrDefault("epochsDone", "0"));
    }

    private static void copy(Path file, SafetensorsFile f, String name, float[] dst) {
        Tensor t = f.tensors().get(name);
        if (t == null || t.size() != dst.length)
            throw new FeintException("checkpoint " + file + " lacks tensor '" + name + "' of " + dst.length + " values");
        System.arraycopy(t.data(), 0, dst, 0, dst.length);
    }

    /**
     * Identifies a run by everything that changes its result.
     *
     * @param arch the architecture's name
     * @param cfg the optimisation settings
     * @param obj the training objective
     * @return the fingerprint
     */
    public static String fingerprint(String arch, TrainConfig cfg, TrainingObjective obj) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("arch", arch);
        m.put("training", cfg.toMap());
        m.put("recipe", obj.name());
        m.put("recipeParams", new java.util.TreeMap<>(obj.params()));
        return Integer.toHexString(Json.write(m).hashCode());
    }
}
