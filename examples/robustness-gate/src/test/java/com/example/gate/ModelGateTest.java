package com.example.gate;

import dev.feint.attack.AutoAttack;
import dev.feint.attack.Norm;
import dev.feint.data.Datasets;
import dev.feint.junit.RobustnessTest;
import dev.feint.model.Models;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.feint.junit.RobustnessAssertions.assertRobustness;

/**
 * The build fails when the model ships less robust than promised: at least 40% of 100 test images
 * classified correctly under AutoAttack at Linf eps 0.1 (a quick budget), at least 70% clean.
 * {@code -Dgate.model=standard} gates the naturally trained LeNet: the test fails and the report
 * is in target/feint-reports/ModelGateTest/shipsRobustEnough/index.html.
 */
@RobustnessTest(audit = RobustnessTest.Audit.QUICK)
class ModelGateTest {
    @Test void shipsRobustEnough() {
        String file = System.getProperty("gate.model", "pgd").equals("standard") ? "fmnist-lenet.safetensors" : "fmnist-lenet-pgd.safetensors";
        assertRobustness(Models.load(Path.of("../../demo/models", file)))
                .on(Datasets.open(Path.of("../../demo/fashion-mnist-1k")), 100)
                .under(AutoAttack.standard(Norm.LINF, 0.1).steps(20).queries(500))
                .hasRobustAccuracyAtLeast(0.40)
                .hasCleanAccuracyAtLeast(0.70);
    }
}
