package dev.feint.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class (or method) whose {@link RobustnessAssertions#assertRobustness robustness
 * assertions} write the HTML report, with the audit's verdict, as a test artefact: under
 * {@link #reportDir()}{@code /<test class>/<test method>/index.html} when an assertion fails, and
 * after every assertion with {@link #reportAlways()}. The failure message gives the report's path.
 *
 * <pre>{@code
 * @RobustnessTest(audit = RobustnessTest.Audit.QUICK)
 * class ModelGateTest {
 *     @Test void keepsSixtyPercentUnderPgd() {
 *         assertRobustness(Models.load(Path.of("model.safetensors"))).on(Datasets.open("fashion-mnist"), 1000)
 *                 .under(Attacks.pgd().eps(0.1).steps(20)).hasRobustAccuracyAtLeast(0.60);
 *     }
 * }
 * }</pre>
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RobustnessExtension.class)
public @interface RobustnessTest {
    /** How much of the audit (the checks of {@code feint audit}) runs before a report is written. */
    enum Audit {
        /** No audit: the report has no verdict. */
        NONE,
        /** The audit with a small budget (5 and 20 PGD steps, 2 restarts, 300 Square queries, 3 targets): a verdict in seconds. */
        QUICK,
        /** The audit's default budget, as {@code feint audit} runs it. */
        FULL
    }

    /** {@return whether to write the report after a passing assertion too (it is always written after a failing one)} */
    boolean reportAlways() default false;

    /** {@return the folder reports go under, relative to the working directory (Maven's: the module)} */
    String reportDir() default "target/feint-reports";

    /** {@return the audit run for the report (only when a report is written)} */
    Audit audit() default Audit.FULL;
}
