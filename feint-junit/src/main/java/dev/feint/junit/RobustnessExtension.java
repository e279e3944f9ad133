package dev.feint.junit;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.nio.file.Path;

/**
 * The JUnit 5 extension behind {@link RobustnessTest}: before each test it tells the robustness
 * assertions of the test's thread where the test's reports go and when to write them; after it,
 * it forgets. Registered by the annotation; not used directly.
 *
 * <pre>{@code
 * @ExtendWith(RobustnessExtension.class)   // what @RobustnessTest does, with its defaults
 * class GateTest { }
 * }</pre>
 */
public final class RobustnessExtension implements BeforeEachCallback, AfterEachCallback {
    /** Made by JUnit. */
    public RobustnessExtension() {}

    /**
     * Points the assertions at {@code <reportDir>/<test class>/<test method>}.
     *
     * @param context the test's context
     */
    @Override public void beforeEach(ExtensionContext context) {
        RobustnessTest t = context.getTestMethod().flatMap(m -> AnnotationSupport.findAnnotation(m, RobustnessTest.class))
                .or(() -> context.getTestClass().flatMap(c -> AnnotationSupport.findAnnotation(c, RobustnessTest.class)))
                .orElse(null);
        if (t == null) return;
        Path dir = Path.of(t.reportDir()).resolve(context.getRequiredTestClass().getSimpleName())
                .resolve(context.getRequiredTestMethod().getName() + suffix(context));
        ReportSettings.set(new ReportSettings(dir, t.reportAlways(), t.audit()));
    }

    /**
     * Forgets the test's settings.
     *
     * @param context the test's context
     */
    @Override public void afterEach(ExtensionContext context) { ReportSettings.clear(); }

    /** A parametrised test's invocations get their own folders: "[1]", "[2]", ... from the display name. */
    private static String suffix(ExtensionContext context) {
        String name = context.getDisplayName();
        if (!name.startsWith("[")) return "";
        int end = name.indexOf(']');
        return end > 1 ? "-" + name.substring(1, end).replaceAll("[^A-Za-z0-9_-]", "_") : "";
    }
}
