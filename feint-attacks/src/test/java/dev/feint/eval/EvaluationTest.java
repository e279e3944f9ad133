package dev.feint.eval;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackBuilder;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackSpec;
import dev.feint.attack.Attacks;
import dev.feint.attack.AutoAttack;
import dev.feint.attack.Norm;
import dev.feint.attack.ParameterException;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.model.LoadedModel;
import dev.feint.model.Models;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one-page API: Models, Datasets.open, the attack builders, Evaluation and RobustnessResult, against the engine underneath. */
class EvaluationTest {
    static LoadedModel model;
    static Dataset data;

    @BeforeAll static void load() {
        model = Models.load(Path.of("../demo/models/fmnist-lenet.safetensors"));
        data = Datasets.open(Path.of("../demo/fashion-mnist-1k"));
    }

    @Test void modelsAndDatasetsOpenTheDemoFiles() {
        assertEquals("fmnist-lenet.safetensors", model.name());
        assertEquals(10, model.classNames().size());
        assertEquals("Shirt", model.classNames().get(6));
        assertEquals(1000, data.size());
        assertEquals(List.of(1, 28, 28), java.util.Arrays.stream(data.exampleShape()).boxed().toList());
    }

    @Test void theBuildersAreSpecsOfTheRegistry() {
        AttackBuilder pgd = Attacks.pgd().eps(0.1).steps(20).restarts(2).seed(7);
        assertEquals("pgd:eps=0.1,steps=20,restarts=2,seed=7", pgd.toString());
        assertEquals(pgd.spec(), AttackSpec.parse(pgd.toString()));
        Attack a = pgd.build();
        assertEquals(0.1f, a.eps());
        assertEquals(20L, a.parameters().get("steps"));
        assertEquals("autoattack:norm=l2,eps=0.5,version=standard", AutoAttack.standard(Norm.L2, 0.5).toString());
        var e = assertThrows(ParameterException.class, () -> Attacks.fgsm().steps(3));
        assertEquals("fgsm: parameter steps is not taken (it takes norm, eps, loss)", e.getMessage());
        assertThrows(FeintException.class, () -> Attacks.of("pgdd"));
    }

    /** Every shorthand of Attacks names a registered attack that builds with its defaults (eps given where required). */
    @Test void everyShorthandIsARegisteredAttack() throws Exception {
        int n = 0;
        for (Method m : Attacks.class.getDeclaredMethods()) {
            if (!Modifier.isPublic(m.getModifiers()) || m.getParameterCount() != 0) continue;
            AttackBuilder b = (AttackBuilder) m.invoke(null);
            assertTrue(AttackRegistry.has(b.spec().name()), m.getName());
            Attack a = (b.spec().name().equals("square") ? b.eps(0.1) : b).build();
            assertEquals(b.spec().name(), a.name(), m.getName());
            n++;
        }
        assertTrue(n >= 7, "shorthands: " + n);
    }

    /** Evaluation gives the figures of RobustnessEvaluation with the same attacks, each at its own eps. */
    @Test void theFiguresAreThoseOfTheEngine() {
        Dataset d = data.slice(0, 40);
        RobustnessResult r = Evaluation.of(model).on(data, 40).attack(Attacks.fgsm().eps(0.05)).attack(Attacks.pgd().eps(0.1).steps(5))
                .attack(Attacks.deepFool().norm(Norm.LINF).steps(10)).run();
        RobustnessReport fgsm = RobustnessEvaluation.builder().model(model.model()).data(d)
                .attacks(List.of(AttackRegistry.create("fgsm"))).eps(0.05f).build().run();
        RobustnessReport pgd = RobustnessEvaluation.builder().model(model.model()).data(d)
                .attacks(List.of(AttackRegistry.create("pgd:steps=5"))).eps(0.1f).build().run();
        assertEquals(fgsm.cleanAccuracy(), r.cleanAccuracy());
        assertEquals(fgsm.entries().get(0).summary().robustAccuracy(), r.robustAccuracy("fgsm"));
        assertEquals(pgd.entries().get(0).summary().robustAccuracy(), r.robustAccuracy("pgd", 0.1));
        assertTrue(r.robustAccuracy("pgd") < r.cleanAccuracy(), r.toString());
        // deepfool (minimum-norm, linf) is thresholded at the radii of the other linf attacks
        assertEquals(2, r.report().entries().stream().filter(e -> e.attack().equals("deepfool")).count());
        var ambiguous = assertThrows(FeintException.class, () -> r.robustAccuracy("deepfool"));
        assertTrue(ambiguous.getMessage().startsWith("result: attack 'deepfool' ran at eps [0.05, 0.1]: give one"), ambiguous.getMessage());
        var missing = assertThrows(FeintException.class, () -> r.robustAccuracy("pgd", 0.3));
        assertTrue(missing.getMessage().startsWith("result: attack 'pgd' did not run at eps 0.3 (ran: fgsm (linf, eps 0.05)"), missing.getMessage());
        double worst = r.worstCase();
        assertTrue(worst <= Math.min(r.robustAccuracy("fgsm"), r.robustAccuracy("pgd")), r.toString());
        assertEquals(worstByHand(r), worst);
        assertEquals(List.of(0.05f, 0.1f), List.of(r.report().eps()[0], r.report().eps()[1]));
    }

    private static double worstByHand(RobustnessResult r) {
        int n = r.examples(), robust = 0;
        for (int i = 0; i < n; i++) {
            boolean all = true;
            for (var e : r.report().entries()) all &= e.robust()[i];
            if (all) robust++;
        }
        return (double) robust / n;
    }

    @Test void theSameSeedGivesTheSameResultAndTheWorstClassesComeFirst() {
        Evaluation e = Evaluation.of(model).on(data, 30).attack(Attacks.pgd().eps(0.1).steps(3)).seed(3);
        RobustnessResult a = e.run(), b = e.run();
        assertEquals(a.toJson().toString().replaceAll("\"?wallSeconds\"?[=:][^,}]*", ""),
                b.toJson().toString().replaceAll("\"?wallSeconds\"?[=:][^,}]*", ""));
        assertEquals(3L, e.run().outcomes().get(0).attack().parameters().get("seed"));
        var worst = a.worstClasses(3);
        assertEquals(3, worst.size());
        assertTrue(worst.get(0).robustAccuracy() <= worst.get(1).robustAccuracy() && worst.get(1).robustAccuracy() <= worst.get(2).robustAccuracy());
    }

    @Test void badSettingsAreOneMessage() {
        assertEquals("evaluation: examples = 2000, expected 1..1000 (the size of fashion-mnist-1k)",
                assertThrows(FeintException.class, () -> Evaluation.of(model).on(data, 2000)).getMessage().replace(data.name(), "fashion-mnist-1k"));
        assertEquals("evaluation: no attack (call attack(...), e.g. attack(Attacks.pgd().eps(0.1)))",
                assertThrows(FeintException.class, () -> Evaluation.of(model).on(data, 5).run()).getMessage());
        assertEquals("evaluation: deepfool is a minimum-norm attack and no other l2 attack gives a radius to threshold it at (call eps(...))",
                assertThrows(FeintException.class, () -> Evaluation.of(model).on(data, 5).attack(Attacks.deepFool()).run()).getMessage());
    }

    @Test void theReportIsWrittenAllOrNothing(@TempDir Path tmp) throws Exception {
        RobustnessResult r = Evaluation.of(model).on(data, 20).attack(Attacks.fgsm().eps(0.1)).run();
        Path page = r.writeReport(tmp.resolve("a/report"));
        assertEquals(tmp.resolve("a/report/index.html"), page);
        String html = Files.readString(page);
        assertTrue(html.contains("fmnist-lenet.safetensors") && html.contains("fgsm"));
        assertTrue(Files.readString(tmp.resolve("a/report/report.json")).contains("\"robustAccuracy\""));
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThrows(FeintException.class, () -> r.writeReport(file));
        assertEquals("x", Files.readString(file));
    }
}
