package dev.feint.optim;

/** Learning rate as a function of the global step (0-based) out of a known total. */
@FunctionalInterface
public interface LrSchedule {
    /**
     * The learning rate at a step.
     *
     * @param step the global step, 0-based
     * @return the learning rate to use for that step
     */
    float at(long step);

    /**
     * The same learning rate at every step.
     *
     * @param lr the learning rate
     * @return the schedule
     */
    static LrSchedule constant(float lr) { return s -> lr; }

    /**
     * Step decay: lr * gamma^(floor(step / every)).
     *
     * @param lr the learning rate at step 0
     * @param every how many steps between decays, at least 1
     * @param gamma the factor applied at each decay (e.g. 0.1)
     * @return the schedule
     * @throws IllegalArgumentException if {@code every} is below 1
     */
    static LrSchedule step(float lr, long every, float gamma) {
        if (every < 1) throw new IllegalArgumentException("step schedule needs every >= 1");
        return s -> lr * (float) Math.pow(gamma, s / every);
    }

    /**
     * Cosine annealing from lr to 0 over total steps (0 after them).
     *
     * @param lr the learning rate at step 0
     * @param total the number of steps of the whole run
     * @return the schedule
     */
    static LrSchedule cosine(float lr, long total) {
        return s -> (float) (0.5 * lr * (1 + Math.cos(Math.PI * Math.min(s, total) / Math.max(1, total))));
    }

    /**
     * One-cycle (Smith 2018), linear form: warm up from lr/25 to lr over the first 30% of steps,
     * then down to lr/1e4 at the end.
     *
     * @param lr the peak learning rate
     * @param total the number of steps of the whole run
     * @return the schedule
     */
    static LrSchedule oneCycle(float lr, long total) {
        long up = Math.max(1, (long) (0.3 * total));
        return s -> {
            if (s < up) return lr / 25 + (lr - lr / 25) * s / up;
            double f = Math.min(1.0, (double) (s - up) / Math.max(1, total - up));
            return (float) (lr + (lr / 1e4 - lr) * f);
        };
    }
}
