package dev.feint.attack.gradient;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackEntry;
import dev.feint.attack.AttackParam;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackSpec;
import dev.feint.attack.AttackResult;
import dev.feint.attack.Criterion;
import dev.feint.attack.Misclassification;
import dev.feint.attack.Norm;
import dev.feint.attack.TargetChooser;
import dev.feint.attack.TargetedMisclassification;
import dev.feint.autograd.Grad;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.AttackRunner;
import dev.feint.loss.Losses;
import dev.feint.testing.TinyProblem;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The contract every registered attack keeps (white- and black-box: the names come from
 * {@link AttackRegistry}, so a new attack is covered by registering it), on a tiny seeded model
 * trained in the test.
 */
class EveryAttackTest {
    static Stream<String> attacks() { return AttackRegistry.names().stream(); }

    /** Untargeted by construction (or choosing their own targets). */
    static final Set<String> UNTARGETED = Set.of("deepfool", "invfgsm", "sparsefool", "apgd-t", "autoattack"); // apgd-t, autoattack: own targets

    /**
     * Small budgets so the whole set runs in seconds, chosen from the parameters an attack
     * declares (so a new attack gets them without an entry here); radii large enough to matter
     * on 16 inputs.
     */
    static AttackSpec spec(String name) {
        AttackEntry e = AttackRegistry.entry(name);
        AttackSpec s = AttackSpec.of(name);
        AttackParam np = e.param("norm");
        Norm norm = np == null ? Norm.LINF : np.defaultValue().equals("required") ? Norm.LINF : Norm.parse(np.defaultValue());
        if (np != null && np.defaultValue().equals("required")) s = s.norm(norm);
        if (e.eps() == AttackEntry.Eps.REQUIRED) s = s.eps(norm == Norm.LINF ? 0.25f : norm == Norm.L2 ? 1.0f : 4f);
        if (e.takes("steps")) s = s.with("steps", name.equals("cw") || name.equals("ead") ? 40 : 10);
        if (e.takes("restarts")) s = s.with("restarts", 2);
        if (e.takes("queries")) s = s.with("queries", 600);
        if (e.takes("population")) s = s.with("population", 40).with("generations", 14);
        if (e.takes("seed")) s = s.with("seed", 3L);
        if (e.takes("samples") && e.blackBox()) s = s.with("samples", 16); // spsa: 35 steps within 600 queries
        if (e.takes("gamma")) s = s.with("gamma", 0.5); // jsma: 14.5% of 16 features is one pair
        return s;
    }

    static Attack make(String name) { return AttackRegistry.create(spec(name)); }

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
        int[] fresh = p.model.predict(Tensor.of(adv.clone(), n, 1, 4, 4)); // the success flags, re-verified here
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
        if (AttackRegistry.entry(name).blackBox()) assertEquals(0, r.totalGradients(), name + " used gradients");
        else assertTrue(r.totalGradients() > 0);
        assertTrue(r.totalQueries() >= r.totalGradients() && r.totalQueries() > 0);
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

    /**
     * Random streams come from (seed, dataset index), not batch position: batch 1 and batch 64
     * give the same bits, which also checks that the runner hands each row's dataset index on
     * (with batch 1 every row would otherwise be row 0 of its batch).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void batchSizeDoesNotChangeTheBits(String name) {
        TinyProblem p = TinyProblem.get();
        AttackOutcome one = new AttackRunner(p.model).batchSize(1).run(make(name), p.testX, p.testY, null);
        AttackOutcome all = new AttackRunner(p.model).batchSize(64).run(make(name), p.testX, p.testY, null);
        assertArrayEquals(all.adversarial().data(), one.adversarial().data(), name + ": batch 1 and batch 64 differ");
        for (int i = 0; i < p.testY.length; i++)
            assertEquals(all.examples().get(i).success(), one.examples().get(i).success(), name + ": success of " + i);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void targetedReachesTargets(String name) {
        if (UNTARGETED.contains(name) || AttackRegistry.entry(name).blackBox()) return; // black-box: BlackBoxAttackTest
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
        AttackEntry e = AttackRegistry.entry(name);
        AttackSpec ok = spec(name);
        assertEquals(name + ": parameter nonsense is not taken (it takes " + e.paramNames() + ")",
                msg(() -> AttackRegistry.create(ok.with("nonsense", 1))));
        if (e.eps() == AttackEntry.Eps.NONE) {
            assertEquals(name + ": parameter eps is not taken (it takes " + e.paramNames() + ")",
                    msg(() -> AttackRegistry.create(ok.eps(0.1f))));
        } else {
            String bound = e.blackBox() ? "> 0" : ">= 0";
            assertEquals(name + ": parameter eps = -0.1, expected a finite number " + bound, msg(() -> AttackRegistry.create(ok.eps(-0.1f))));
        }
        if (e.takes("steps"))
            assertEquals(name + ": parameter steps = 0, expected a whole number >= 1", msg(() -> AttackRegistry.create(ok.with("steps", 0))));
        if (e.takes("queries"))
            assertTrue(msg(() -> AttackRegistry.create(ok.with("queries", 0))).startsWith(name + ": parameter queries = 0, expected a whole number >= "));
        if (e.takes("norm")) // no attack takes l0: the builder's own check, with the norms the entry lists
            assertEquals(name + ": parameter norm = l0, expected " + e.param("norm").help(), msg(() -> AttackRegistry.create(ok.norm(Norm.L0))));
        if (e.eps() != AttackEntry.Eps.NONE && !e.blackBox()) {
            TinyProblem p = TinyProblem.get();
            float big = 1.5f;
            AttackParam np = e.param("norm");
            Attack a = AttackRegistry.create(np != null && !np.help().contains("linf") ? ok : ok.eps(big).norm(Norm.LINF));
            if (a.norm() == Norm.LINF)
                assertEquals(name + ": eps " + big + " exceeds the largest linf distance 1.0 within the model's bounds [0.0, 1.0]",
                        msg(() -> a.run(p.model, p.testX, new Misclassification(p.testY))));
        }
        if (!UNTARGETED.contains(name) && !e.blackBox()) {
            int[] y = TinyProblem.get().testY.clone(), t = y.clone();
            for (int i = 0; i < t.length; i++) t[i] = (y[i] + 1) % 3;
            t[4] = y[4];
            assertEquals("target class " + y[4] + " equals the true label of example 4 (a targeted attack needs a different class)",
                    msg(() -> make(name).run(TinyProblem.get().model, TinyProblem.get().testX, new TargetedMisclassification(t, y))));
        }
        assertEquals("unknown attack 'magic' (expected one of " + String.join(", ", AttackRegistry.names()) + ")",
                msg(() -> AttackRegistry.create("magic")));
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
