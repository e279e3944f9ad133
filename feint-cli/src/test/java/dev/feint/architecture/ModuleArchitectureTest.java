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

import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
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
        return exposesNo(c -> c.getModifiers().contains(JavaModifier.PUBLIC) && !internal(c), "public types outside internal packages",
                ModuleArchitectureTest::internal, "a type of an internal package");
    }

    /**
     * The module descriptors' side of the same rule: a public type of a package its module exports to everyone
     * takes, returns and extends no Feint type of a package that is exported to nobody or only to named siblings
     * (a user on the module path could not name it).
     */
    @Test void noExportedSignatureExposesANonExportedType() {
        Set<String> exported = exportedPackages();
        assertTrue(exported.contains("dev.feint.model") && !exported.contains("dev.feint.tensor.kernels"), exported.toString());
        exposesNoHiddenType(exported).check(feint);
    }

    static ArchRule exposesNoHiddenType(Set<String> exported) {
        return exposesNo(c -> c.getModifiers().contains(JavaModifier.PUBLIC) && exported.contains(c.getPackageName()),
                "public types of exported packages", c -> c.getPackageName().startsWith("dev.feint") && !exported.contains(c.getPackageName()),
                "a type of a package that is not exported");
    }

    /** The packages the Feint modules export to every module, read from their module descriptors. */
    static Set<String> exportedPackages() {
        Set<String> exported = new java.util.TreeSet<>();
        ModuleFinder.of(java.util.Arrays.stream(ModulePathConsumerTest.modulePath().split(java.io.File.pathSeparator)).map(Path::of).toArray(Path[]::new)).findAll().stream()
                .map(ModuleReference::descriptor).filter(d -> d.name().startsWith("dev.feint") && !d.isAutomatic())
                .forEach(d -> d.exports().stream().filter(e -> !e.isQualified()).forEach(e -> exported.add(e.source())));
        return exported;
    }

    @Test void theExportRuleCatchesAPlantedLeak() {
        JavaClasses fixture = new ClassFileImporter().importPackages("dev.feint.architecture.fixture");
        AssertionError e = assertThrows(AssertionError.class, () -> exposesNoHiddenType(Set.of("dev.feint.architecture.fixture")).check(fixture));
        assertTrue(e.getMessage().contains("Leaky.hidden()") && !e.getMessage().contains("packagePrivateIsFine"), e.getMessage());
        exposesNoHiddenType(Set.of("dev.feint.architecture.fixture", "dev.feint.architecture.fixture.internal")).check(fixture);
    }

    /** Public and protected members (and the superclass) of the {@code api} types use no type that is {@code hidden}. */
    static ArchRule exposesNo(java.util.function.Predicate<JavaClass> api, String apiName, java.util.function.Predicate<JavaClass> hidden,
            String hiddenName) {
        DescribedPredicate<JavaClass> apiTypes = new DescribedPredicate<>(apiName) {
            @Override public boolean test(JavaClass c) { return api.test(c); }
        };
        java.util.function.Predicate<JavaClass> leaks = c -> hidden.test(c.isArray() ? c.getBaseComponentType() : c);
        ArchCondition<JavaClass> condition = new ArchCondition<>("expose no " + hiddenName + " in a public signature") {
            @Override public void check(JavaClass c, ConditionEvents events) {
                for (JavaCodeUnit m : c.getCodeUnits()) {
                    if (!m.getModifiers().contains(JavaModifier.PUBLIC) && !m.getModifiers().contains(JavaModifier.PROTECTED)) continue;
                    Set<JavaClass> types = new LinkedHashSet<>(m.getRawParameterTypes());
                    types.add(m.getRawReturnType());
                    types.addAll(m.getExceptionTypes());
                    for (JavaClass t : types)
                        if (leaks.test(t)) events.add(SimpleConditionEvent.violated(m, m.getFullName() + " exposes " + t.getName()));
                }
                for (JavaField f : c.getFields())
                    if ((f.getModifiers().contains(JavaModifier.PUBLIC) || f.getModifiers().contains(JavaModifier.PROTECTED)) && leaks.test(f.getRawType()))
                        events.add(SimpleConditionEvent.violated(f, f.getFullName() + " exposes " + f.getRawType().getName()));
                JavaClass sup = c.getRawSuperclass().orElse(null);
                if (sup != null && leaks.test(sup)) events.add(SimpleConditionEvent.violated(c, c.getName() + " extends " + sup.getName()));
                for (JavaClass i : c.getRawInterfaces())
                    if (leaks.test(i)) events.add(SimpleConditionEvent.violated(c, c.getName() + " implements " + i.getName()));
            }
        };
        return com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes().that(apiTypes).should(condition).allowEmptyShould(true);
    }

    private static boolean internal(JavaClass c) {
        JavaClass t = c.isArray() ? c.getBaseComponentType() : c;
        return t.getPackageName().contains(".internal");
    }
}
