package dev.feint.junit;

import dev.feint.attack.Attacks;
import dev.feint.data.Datasets;
import dev.feint.model.Models;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Path;

import static dev.feint.junit.RobustnessAssertions.assertRobustness;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Outside a {@link RobustnessTest} an assertion still fails with its figures, and says how to get the report. */
class WithoutExtensionTest {
    @Test void theMessageSaysHowToGetTheReport() {
        var m = assertRobustness(Models.load(Path.of("../demo/models/fmnist-lenet.safetensors")))
                .on(Datasets.open(Path.of("../demo/fashion-mnist-1k")), 20).under(Attacks.fgsm().eps(0.1));
        String msg = assertThrows(AssertionFailedError.class, () -> m.hasRobustAccuracyAtLeast(0.9)).getMessage();
        assertTrue(msg.endsWith("report: none (annotate the test with @dev.feint.junit.RobustnessTest to get the HTML report)"), msg);
        assertTrue(!msg.contains("audit:"), msg);
    }
}
