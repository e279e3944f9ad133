package dev.feint.djl;

import ai.djl.engine.Engine;
import dev.feint.FeintException;

/**
 * DJL's PyTorch engine, configured once for Feint: offline (the libtorch binaries come from the
 * {@code pytorch-native-cpu} jar on the classpath and are unpacked into DJL's cache,
 * {@code DJL_CACHE_DIR} or {@code ~/.djl.ai}; nothing is downloaded), no TorchScript graph
 * optimiser (its profiling runs make the first calls slow and the timings erratic), no progress bar.
 * A property the user has set is kept.
 */
final class Libtorch {
    private static volatile Engine engine;

    private Libtorch() {}

    /** The PyTorch engine; a {@link FeintException} when libtorch cannot be loaded. */
    static Engine engine() {
        Engine e = engine;
        if (e != null) return e;
        synchronized (Libtorch.class) {
            if (engine != null) return engine;
            setDefault("ai.djl.offline", "true");
            setDefault("ai.djl.pytorch.graph_optimizer", "false");
            setDefault("disableProgressBar", "true");
            // DJL logs through SLF4J; with no provider bound SLF4J warns on stderr.
            setDefault("slf4j.internal.verbosity", "ERROR");
            try {
                engine = Engine.getEngine("PyTorch");
            } catch (RuntimeException | UnsatisfiedLinkError e2) {
                throw new FeintException("cannot load libtorch through DJL's PyTorch engine (ai.djl.pytorch:pytorch-native-cpu must be on the classpath): "
                        + e2.getMessage());
            }
            return engine;
        }
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) System.setProperty(key, value);
    }
}
