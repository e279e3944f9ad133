package dev.feint.attack.gradient;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackResult;
import dev.feint.attack.Criterion;
import dev.feint.attack.Misclassification;
import dev.feint.attack.Norm;
import dev.feint.attack.TargetChooser;
import dev.feint.attack.TargetedMisclassification;
import dev.feint.autograd.Grad;
import dev.feint.loss.Losses;
import dev.feint.testing.TinyProblem;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract every registered attack keeps, on a tiny seeded model trained in the test. */
class EveryAttackTest {
    static Stream<String> attacks() { return GradientAttacks.NAMES.stream(); }

    /** Small budgets so the whole set runs in seconds; radii large enough to matter on 16 inputs. */
    static Attack make(String name) {
        GradientAttacks.Options o = switch (name) {
            case "fgm" -> new GradientAttacks.Options(null, 1.0f, null, null, null, null);
            case "bim", "mifgsm" -> new GradientAttacks.Options(null, 0.25f, 10, null, null, null);
            case "pgd" -> new GradientAttacks.Options(null, 0.25f, 10, null, 2, 3L);
            case "deepfool" -> GradientAttacks.Options.defaults();
            case "cw" -> new GradientAttacks.Options(null, null, 40, null, null, null);
            default -> new GradientAttacks.Options(null, 0.25f, null, null, null, null);
        };
        return GradientAttacks.create(name, o);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void lowersAccuracyStaysInBallAndBoundsAndVerifiesSuccess(String name) {
        TinyProblem p = TinyProblem.get();
        Attack a = make(name);
        Criterion crit = new Misclassification(p.testY);
        AttackResult r = a.run(p.model, p.testX, crit);
        float[] adv = r.adversarial().data(), x0 = p.testX.data();
        int n = p.testY.length, d = TinyProblem.D;
        for (int i = 0; i < n; i++) {
            if (!a.minimumNorm())
                assertTrue(a.norm().measure(adv, x0, i * d, d) <= a.eps() + 1e-6, name + ": example " + i + " outside its eps-ball");
            for (int j = i * d; j < (i + 1) * d; j++) assertTrue(adv[j] >= 0f && adv[j] <= 1f, name + ": value outside bounds");
        }
        int[] fresh = p.model.predict(Tensor.of(adv.clone(), n, 1, 4, 4));
        assertArrayEquals(fresh, r.predictions(), name + ": predictions differ from a fresh forward pass");
        for (int i = 0; i < n; i++) assertEquals(fresh[i] != p.testY[i], r.success()[i], name + ": success flag of " + i);
        double clean = TinyProblem.accuracy(p.model.predict(p.testX), p.testY), adversarial = TinyProblem.accuracy(fresh, p.testY);
        assertTrue(clean > 0.85, "the tiny model should learn its problem, clean accuracy " + clean);
        if (name.equals("invfgsm")) { // moves toward the label: accuracy up (or equal), loss strictly down
            assertTrue(adversarial >= clean, "invfgsm lowered accuracy " + clean + " -> " + adversarial);
            double before = meanLoss(p.testX, p.testY), after = meanLoss(r.adversarial(), p.testY);
            assertTrue(after < 0.5 * before, "invfgsm did not lower the loss: " + before + " -> " + after);
        } else {
            assertTrue(adversarial < clean, name + ": adversarial accuracy " + adversarial + " not below clean " + clean);
        }
        assertTrue(r.totalGradients() > 0 && r.totalQueries() >= r.totalGradients());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void sameSeedSameBits(String name) {
        TinyProblem p = TinyProblem.get();
        AttackResult a = make(name).run(p.model, p.testX, new Misclassification(p.testY));
        AttackResult b = make(name).run(p.model, p.testX, new Misclassification(p.testY));
        assertArrayEquals(a.adversarial().data(), b.adversarial().data());
        assertArrayEquals(a.success(), b.success());
        assertArrayEquals(a.queries(), b.queries());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void targetedReachesTargets(String name) {
        if (name.equals("deepfool") || name.equals("invfgsm")) return; // untargeted by construction
        TinyProblem p = TinyProblem.get();
        Tensor clean = p.model.logits(p.testX);
        int[] t = TargetChooser.random(5).choose(p.testY, clean, range(p.testY.length));
        AttackResult r = make(name).run(p.model, p.testX, new TargetedMisclassification(t, p.testY));
        int hits = 0;
        for (int i = 0; i < t.length; i++) {
            assertEquals(r.predictions()[i] == t[i], r.success()[i]);
            if (r.success()[i]) hits++;
        }
        assertTrue(hits > (name.startsWith("fg") ? 0 : t.length / 2), name + ": only " + hits + " targets reached");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void badParametersHavePinnedMessages(String name) {
        boolean minNorm = name.equals("deepfool") || name.equals("cw");
        String eps = msg(() -> GradientAttacks.create(name, new GradientAttacks.Options(null, -0.1f, null, null, null, null)));
        assertEquals(minNorm ? name + " is a minimum-norm attack: eps does not apply (it reports the smallest perturbation found)"
                : name + ": eps must be a finite number >= 0, got -0.1", eps);
        if (!List.of("fgsm", "fgm", "invfgsm").contains(name))
            assertEquals(name + ": steps must be >= 1, got 0",
                    msg(() -> GradientAttacks.create(name, new GradientAttacks.Options(null, minNorm ? null : 0.1f, 0, null, null, null))));
        if (!minNorm) {
            TinyProblem p = TinyProblem.get();
            boolean l2 = name.equals("fgm");
            float big = l2 ? 9f : 1.5f;
            assertEquals(name + ": eps " + big + " exceeds the largest " + (l2 ? "l2 distance 4.0" : "linf distance 1.0")
                    + " within the model's bounds [0.0, 1.0]", msg(() -> GradientAttacks.create(name,
                    new GradientAttacks.Options(null, big, null, null, null, null)).run(p.model, p.testX, new Misclassification(p.testY))));
        }
        if (!name.equals("deepfool") && !name.equals("invfgsm")) {
            int[] y = TinyProblem.get().testY.clone(), t = y.clone();
            for (int i = 0; i < t.length; i++) t[i] = (y[i] + 1) % 3;
            t[4] = y[4];
            assertEquals("target class " + y[4] + " equals the true label of example 4 (a targeted attack needs a different class)",
                    msg(() -> make(name).run(TinyProblem.get().model, TinyProblem.get().testX, new TargetedMisclassification(t, y))));
        }
        assertEquals("unknown norm 'l3' (expected linf, l2, l1 or l0)", msg(() -> GradientAttacks.create(name,
                new GradientAttacks.Options(Norm.parse("l3"), null, null, null, null, null))));
    }

    static String msg(org.junit.jupiter.api.function.Executable e) { return assertThrows(FeintException.class, e).getMessage(); }

    static double meanLoss(Tensor x, int[] y) {
        try (var ng = Grad.noGrad()) {
            return Losses.crossEntropy(TinyProblem.get().model.logits(x), y).item();
        }
    }

    static int[] range(int n) {
        int[] r = new int[n];
        Arrays.setAll(r, i -> i);
        return r;
    }
}
