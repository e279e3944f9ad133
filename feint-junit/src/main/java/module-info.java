/**
 * Robustness as a JUnit 5 test: {@code RobustnessAssertions.assertRobustness(model)} and the
 * {@code @RobustnessTest} extension that writes the HTML report when a gate fails.
 */
module dev.feint.junit {
    requires transitive dev.feint.attacks;
    requires transitive org.junit.jupiter.api;
    requires org.junit.platform.commons;

    exports dev.feint.junit;
}
