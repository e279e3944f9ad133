package dev.feint.train;

import java.util.LinkedHashMap;
import java.util.Map;

/** Figures for one finished epoch; {@code heldOutAdvAccuracy} is NaN when not measured. */
public record EpochStats(int epoch, double trainLoss, double trainAccuracy, double heldOutAccuracy,
                         double heldOutAdvAccuracy, double seconds, double imagesPerSecond, float lr) {
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
