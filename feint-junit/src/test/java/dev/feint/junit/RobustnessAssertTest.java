package dev.feint.junit;

import dev.feint.attack.Attacks;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.model.LoadedModel;
import dev.feint.model.Models;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.feint.junit.RobustnessAssertions.assertRobustness;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gate on the demo models: PGD-10 at eps 0.1 on 100 Fashion-MNIST images, at least 40% robust
 * and 70% clean. The naturally trained LeNet fails it (about 5% robust), the PGD-trained one passes
 * (about 60%), and the failure writes the report with the audit's verdict.
 */
@RobustnessTest(audit = RobustnessTest.Audit.QUICK)
class RobustnessAssertTest {
    static LoadedModel natural, pgdTrained;
    static Dataset data;

    @BeforeAll static void load() {
        natural = Models.load(Path.of("../demo/models/fmnist-lenet.safetensors"));
        pgdTrained = Models.load(Path.of("../demo/models/fmnist-lenet-pgd.safetensors"));
        data = Datasets.open(Path.of("../demo/fashion-mnist-1k"));
    }

    private static RobustnessAssert gate(LoadedModel m) {
        return assertRobustness(m).on(data, 100).under(Attacks.pgd().eps(0.1).steps(10)).seed(1);
    }

    @Test void theNaturalLeNetFailsThePgdTrainedOnePassesAtTheSameThreshold() throws Exception {
        Path report = Path.of("target/feint-reports/RobustnessAssertTest/theNaturalLeNetFailsThePgdTrainedOnePassesAtTheSameThreshold");
        deleteTree(report); // from an earlier run
        gate(pgdTrained).hasRobustAccuracyAtLeast(0.40).hasCleanAccuracyAtLeast(0.70);
        assertFalse(Files.exists(report.resolve("index.html")), "a passing gate writes no report unless asked");
        var e = assertThrows(AssertionFailedError.class, () -> gate(natural).hasCleanAccuracyAtLeast(0.70).hasRobustAccuracyAtLeast(0.40));
        String m = e.getMessage();
        assertTrue(m.startsWith("fmnist-lenet.safetensors: robust accuracy "), m);
        assertTrue(m.contains("% is below the threshold 40.0%\n  on 100 examples under pgd (linf, eps 0.1: "), m);
        assertTrue(m.contains("\n  worst classes: [") && m.contains("(of "), m);
        assertTrue(m.contains("\n  audit "), m);
        assertTrue(m.endsWith("report: " + report.resolve("index.html").toAbsolutePath()), m);
        assertEquals(0.40, (double) e.getExpected().getValue());
        assertTrue((double) e.getActual().getValue() < 0.40);
        String html = Files.readString(report.resolve("index.html"));
        assertTrue(html.contains("fmnist-lenet.safetensors") && html.contains("pgd"), "the report is the model's");
        assertTrue(html.toLowerCase(java.util.Locale.ROOT).contains("audit"), "the report carries the audit's verdict");
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) return;
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    @Test void theSameSeedGivesTheSameVerdict() {
        double a = gate(natural).result().worstCase(), b = gate(natural).result().worstCase();
        assertEquals(a, b);
        assertEquals(gate(pgdTrained).result().toJson().get("worstCase"), gate(pgdTrained).result().toJson().get("worstCase"));
    }

    @Test @RobustnessTest(reportAlways = true, audit = RobustnessTest.Audit.NONE)
    void onRequestAPassingGateWritesItsReportToo() {
        assertRobustness(pgdTrained).on(data, 20).under(Attacks.fgsm().eps(0.05)).hasCleanAccuracyAtLeast(0.5);
        assertTrue(Files.exists(Path.of("target/feint-reports/RobustnessAssertTest/onRequestAPassingGateWritesItsReportToo/index.html")));
    }

    @Test void badSettingsAreClearMessages() {
        assertEquals("assertRobustness: threshold = 1.5, expected a fraction in [0, 1]", assertThrows(IllegalArgumentException.class,
                () -> gate(natural).hasRobustAccuracyAtLeast(1.5)).getMessage());
        assertEquals("assertRobustness: no attack given (call under(...), e.g. under(Attacks.pgd().eps(0.1)))",
                assertThrows(IllegalStateException.class, () -> assertRobustness(natural).on(data, 5).hasCleanAccuracyAtLeast(0.1)).getMessage());
    }
}
