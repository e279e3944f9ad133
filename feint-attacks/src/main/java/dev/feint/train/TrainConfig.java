package dev.feint.train;

import dev.feint.BadParameterException;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Immutable optimisation settings; build with {@link #builder()}.
 *
 * @param epochs epochs to train
 * @param batchSize examples per batch
 * @param seed the seed of shuffling and initialisation
 * @param optimizer adam, adamw or sgd
 * @param lr the peak learning rate
 * @param momentum SGD's momentum
 * @param weightDecay the weight decay
 * @param schedule constant, step, cosine or onecycle
 */
public record TrainConfig(int epochs, int batchSize, long seed, String optimizer, float lr, float momentum,
                          float weightDecay, String schedule) {
    /** {@return a builder with every default} */
    public static Builder builder() { return new Builder(); }

    /** {@return the settings as JSON, for model metadata} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("batch", batchSize);
        m.put("seed", seed);
        m.put("optimizer", optimizer);
        m.put("lr", Double.parseDouble(Float.toString(lr)));
        m.put("momentum", Double.parseDouble(Float.toString(momentum)));
        m.put("weightDecay", Double.parseDouble(Float.toString(weightDecay)));
        m.put("schedule", schedule);
        return m;
    }

    /** Builds a {@link TrainConfig}; {@link #build()} checks every value and names its flag. */
    public static final class Builder {
        private int epochs = 5, batchSize = 128;
        private long seed = 1;
        private String optimizer = "adam", schedule = "cosine";
        private Float lr;
        private float momentum = 0.9f, weightDecay = 0f;

        private Builder() {}

        /**
         * Sets the epochs.
         *
         * @param v epochs, &gt;= 1 (default 5)
         * @return this builder
         */
        public Builder epochs(int v) { epochs = v; return this; }
        /**
         * Sets the batch size.
         *
         * @param v examples, in [1, 65536] (default 128)
         * @return this builder
         */
        public Builder batchSize(int v) { batchSize = v; return this; }
        /**
         * Sets the seed.
         *
         * @param v the seed (default 1)
         * @return this builder
         */
        public Builder seed(long v) { seed = v; return this; }
        /**
         * Sets the optimiser.
         *
         * @param v adam, adamw or sgd (default adam)
         * @return this builder
         */
        public Builder optimizer(String v) { optimizer = v; return this; }
        /**
         * Sets the peak learning rate.
         *
         * @param v the rate, in (0, 10) (default 1e-3, 0.05 for sgd)
         * @return this builder
         */
        public Builder lr(float v) { lr = v; return this; }
        /**
         * Sets SGD's momentum.
         *
         * @param v the momentum, in [0, 1) (default 0.9)
         * @return this builder
         */
        public Builder momentum(float v) { momentum = v; return this; }
        /**
         * Sets the weight decay.
         *
         * @param v the decay, in [0, 1) (default 0)
         * @return this builder
         */
        public Builder weightDecay(float v) { weightDecay = v; return this; }
        /**
         * Sets the learning-rate schedule.
         *
         * @param v constant, step, cosine or onecycle (default cosine)
         * @return this builder
         */
        public Builder schedule(String v) { schedule = v; return this; }

        /**
         * Checks the values and builds the settings.
         *
         * @return the settings
         * @throws dev.feint.BadParameterException naming the parameter of a bad value
         */
        public TrainConfig build() {
            if (epochs < 1) throw new BadParameterException("epochs", "must be >= 1, got " + epochs);
            if (batchSize < 1 || batchSize > 65536) throw new BadParameterException("batchSize", "must be in [1, 65536], got " + batchSize);
            if (!java.util.List.of("adam", "adamw", "sgd").contains(optimizer))
                throw new BadParameterException("optimizer", "must be adam, adamw or sgd, got '" + optimizer + "'");
            if (!java.util.List.of("constant", "step", "cosine", "onecycle").contains(schedule))
                throw new BadParameterException("schedule", "must be constant, step, cosine or onecycle, got '" + schedule + "'");
            float rate = lr != null ? lr : optimizer.equals("sgd") ? 0.05f : 1e-3f;
            if (!(rate > 0 && rate < 10)) throw new BadParameterException("lr", "must be in (0, 10), got " + rate);
            if (!(momentum >= 0 && momentum < 1)) throw new BadParameterException("momentum", "must be in [0, 1), got " + momentum);
            if (!(weightDecay >= 0 && weightDecay < 1))
                throw new BadParameterException("weightDecay", "must be a number in [0, 1), got " + weightDecay);
            return new TrainConfig(epochs, batchSize, seed, optimizer, rate, momentum, weightDecay, schedule);
        }
    }
}
