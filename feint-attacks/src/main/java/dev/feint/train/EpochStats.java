package dev.feint.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Figures for one finished epoch; {@code heldOutAdvAccuracy} is NaN when not measured.
 *
 * @param epoch the epoch, from 0
 * @param trainLoss mean training loss
 * @param trainAccuracy training accuracy on the batches as trained
 * @param heldOutAccuracy clean accuracy on the held-out data
 * @param heldOutAdvAccuracy adversarial accuracy on the held-out batch, NaN when not measured
 * @param seconds the epoch's wall-clock seconds
 * @param imagesPerSecond training throughput
 * @param lr the learning rate at the epoch's end
 */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double heldOutAccuracy,
                         double heldOutAdvAccuracy, double seconds, double imagesPerSecond, float lr) {
    /** {@return the figures as JSON} */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("loss", trainLoss);
        m.put("trainAccuracy", trainAccuracy);
        m.put("heldOutAccuracy", heldOutAccuracy);
        m.put("heldOutAdversarialAccuracy", Double.isNaN(heldOutAdvAccuracy) ? null : heldOutAdvAccuracy);
        m.put("seconds", seconds);
        m.put("imagesPerSecond", imagesPerSecond);
        m.put("lr", Double.parseDouble(Float.toString(lr)));
        return m;
    }
}
