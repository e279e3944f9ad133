package dev.feint.train;

/** Progress callbacks from {@link Trainer}; all methods optional. */
public interface TrainingListener {
    default void onBatch(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {}

    default void onEpoch(EpochStats stats) {}

    TrainingListener NONE = new TrainingListener() {};
}
