package dev.feint.architecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import com.tngtech.archunit.library.Architectures;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashSet;
import java.util.Set;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The architecture as a test (ArchUnit): data flows one way, core &lt;- attacks &lt;- (onnx, junit)
 * &lt;- cli, each module's packages depend only on lower modules, and no public signature outside an
 * {@code internal} package exposes a type from one. Maven's module dependencies already stop a
 * module from compiling against a higher one; these rules also hold the layers inside a module
 * (the report above the evaluation above the attacks above the model view) and keep
 * {@code internal} packages internal.
 */
class ModuleArchitectureTest {
    static JavaClasses feint;

    @BeforeAll static void importClasses() {
        feint = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.feint");
    }

    /** Modules, and inside feint-attacks its layers, each allowed only what is below it. */
    static Architectures.LayeredArchitecture layers() {
        return Architectures.layeredArchitecture().consideringOnlyDependenciesInAnyPackage("dev.feint..")
                .layer("core").definedBy("dev.feint", "dev.feint.tensor..", "dev.feint.autograd..", "dev.feint.nn..", "dev.feint.loss..",
                        "dev.feint.optim..", "dev.feint.data..", "dev.feint.io..")
                .layer("model").definedBy("dev.feint.model..")
                .layer("attack").definedBy("dev.feint.attack..")
                .layer("train").definedBy("dev.feint.train..")
                .layer("eval").definedBy("dev.feint.eval..")
                .layer("report").definedBy("dev.feint.report..")
                .layer("onnx").definedBy("dev.feint.onnx..")
                .layer("junit").definedBy("dev.feint.junit..")
                .layer("djl").definedBy("dev.feint.djl..")
                .layer("cli").definedBy("dev.feint.cli..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("junit").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("onnx").mayOnlyBeAccessedByLayers("djl", "cli")
                .whereLayer("djl").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("report").mayOnlyBeAccessedByLayers("eval", "junit", "cli")
                .whereLayer("eval").mayOnlyBeAccessedByLayers("report", "junit", "cli", "onnx")
                .whereLayer("train").mayOnlyBeAccessedByLayers("eval", "cli", "onnx", "junit")
                .whereLayer("attack").mayOnlyBeAccessedByLayers("train", "eval", "report", "junit", "cli", "onnx")
                .whereLayer("model").mayOnlyBeAccessedByLayers("attack", "train", "eval", "report", "junit", "cli", "onnx")
                .withOptionalLayers(true);
    }

    @Test void lowerLayersNeverDependOnHigherOnes() {
        layers().check(feint);
    }

    @Test void theCoreNeverReachesUp() {
        theCore().check(feint);
    }

    static ArchRule theCore() {
        return noClasses().that().resideInAnyPackage("dev.feint.tensor..", "dev.feint.autograd..", "dev.feint.nn..", "dev.feint.data..", "dev.feint.io..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.feint.model..", "dev.feint.attack..", "dev.feint.eval..",
                        "dev.feint.train..", "dev.feint.report..", "dev.feint.onnx..", "dev.feint.junit..", "dev.feint.cli..");
    }

    @Test void noPublicSignatureExposesAnInternalType() {
        exposesNoInternalType().check(feint);
    }

    /** The rules can fail: a planted class that reaches up, and one whose public method returns an internal type. */
    @Test void theRulesCatchPlantedViolations() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.feint.architecture.fixture");
        AssertionError e = assertThrows(AssertionError.class, () -> exposesNoInternalType().check(fixture));
        assertTrue(e.getMessage().contains("Leaky.hidden()") && !e.getMessage().contains("packagePrivateIsFine"), e.getMessage());
        JavaClasses upward = new ClassFileImporter().importPackages("dev.feint.io", "dev.feint.cli");
        AssertionError up = assertThrows(AssertionError.class, () -> layers().check(upward));
        assertTrue(up.getMessage().contains("PlantedUpwardDependency"), up.getMessage());
        assertThrows(AssertionError.class, () -> theCore().check(upward));
    }

    /** Public members of public types outside {@code ..internal..} take and return no {@code ..internal..} type. */
    static ArchRule exposesNoInternalType() {
        DescribedPredicate<JavaClass> api = new DescribedPredicate<>("public types outside internal packages") {
            @Override public boolean test(JavaClass c) { return c.getModifiers().contains(JavaModifier.PUBLIC) && !internal(c); }
        };
        ArchCondition<JavaClass> condition = new ArchCondition<>("expose no type of an internal package in a public signature") {
            @Override public void check(JavaClass c, ConditionEvents events) {
                for (JavaCodeUnit m : c.getCodeUnits()) {
                    if (!m.getModifiers().contains(JavaModifier.PUBLIC) && !m.getModifiers().contains(JavaModifier.PROTECTED)) continue;
                    Set<JavaClass> types = new LinkedHashSet<>(m.getRawParameterTypes());
                    types.add(m.getRawReturnType());
                    types.addAll(m.getExceptionTypes());
                    for (JavaClass t : types)
                        if (internal(t)) events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes " + t.getName()));
                }
                for (JavaField f : c.getFields())
                    if ((f.getModifiers().contains(JavaModifier.PUBLIC) || f.getModifiers().contains(JavaModifier.PROTECTED)) && internal(f.getRawType()))
                        events.add(SimpleConditionEvent.violated(f, f.getFullName() + " exposes " + f.getRawType().getName()));
                JavaClass sup = c.getRawSuperclass().orElse(null);
                if (sup != null && internal(sup)) events.add(SimpleConditionEvent.violated(c, c.getName() + " extends " + sup.getName()));
            }
        };
        return com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that(api).should(condition);
    }

    private static boolean internal(JavaClass c) {
        JavaClass t = c.isArray() ? c.getBaseComponentType() : c;
        return t.getPackageName().contains(".internal");
    }
}
