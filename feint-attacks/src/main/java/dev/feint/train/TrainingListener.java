package dev.feint.train;

/** Progress callbacks from {@link Trainer}; all methods optional. */
public interface TrainingListener {
    /**
     * After every batch.
     *
     * @param epoch the epoch, from 0
     * @param batch the batch, from 0
     * @param batches batches per epoch
     * @param loss the batch's loss
     * @param accuracy the batch's training accuracy
     * @param imagesPerSecond throughput so far in the epoch
     */
    default void onBatch(int epoch, int batch, int batches, double loss, double accuracy, double imagesPerSecond) {}

    /**
     * After every epoch.
     *
     * @param stats the epoch's figures
     */
    default void onEpoch(EpochStats stats) {}

    /** A listener that ignores everything. */
    TrainingListener NONE = new TrainingListener() {};
}
