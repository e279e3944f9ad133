package dev.feint.attack.blackbox;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackResult;
import dev.feint.attack.Criterion;
import dev.feint.attack.Misclassification;
import dev.feint.attack.Norm;
import dev.feint.attack.TargetedMisclassification;
import dev.feint.data.Dataset;
import dev.feint.model.Model;
import dev.feint.model.QueryCounter;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongFunction;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The guarantees every black-box attack gives, on a tiny MLP trained here (see {@link Fixtures#dots}). */
class BlackBoxAttackTest {
    /** Every attack, at small budgets so the whole class runs in seconds; the argument is the seed. */
    static Stream<Named<LongFunction<Attack>>> attacks() {
        Map<String, LongFunction<Attack>> m = new LinkedHashMap<>();
        m.put("onepixel d=1", s -> OnePixelAttack.builder().pixels(1).population(50).generations(20).seed(s).build());
        m.put("onepixel d=3", s -> OnePixelAttack.builder().pixels(3).population(60).generations(10).seed(s).build());
        m.put("pixel-search", s -> PixelSearch.builder().build());
        m.put("square linf", s -> SquareAttack.builder().norm(Norm.LINF).eps(0.15f).queries(300).seed(s).build());
        m.put("square l2", s -> SquareAttack.builder().norm(Norm.L2).eps(1f).queries(300).restarts(2).seed(s).build());
        m.put("simba pixel", s -> SimBA.builder().queries(300).seed(s).build());
        m.put("simba dct", s -> SimBA.builder().basis(SimBA.Basis.DCT).queries(300).seed(s).build());
        m.put("hsja l2", s -> HopSkipJump.builder().norm(Norm.L2).queries(500).seed(s).build());
        m.put("hsja linf eps", s -> HopSkipJump.builder().norm(Norm.LINF).eps(0.2f).queries(500).seed(s).build());
        m.put("boundary", s -> BoundaryAttack.builder().queries(500).seed(s).build());
        return m.entrySet().stream().map(e -> Named.of(e.getKey(), e.getValue()));
    }

    static final Dataset TEST = Fixtures.dots(18, 7);

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void breaksSomethingWithinItsBudgetBallAndBounds(LongFunction<Attack> make) {
        Model model = Fixtures.mlp();
        Tensor x = TEST.images();
        int[] y = TEST.labels();
        Attack attack = make.apply(3);
        QueryCounter counter = QueryCounter.wrap(Fixtures.blackBox(model));
        AttackResult r = attack.run(counter, x, new Misclassification(y));

        double clean = accuracy(model.predict(x), y), robust = accuracy(r.predictions(), y);
        assertTrue(robust < clean, attack.name() + ": adversarial accuracy " + robust + " not below clean " + clean);
        checkOutputs(attack, model, x, r, new Misclassification(y));

        // Queries: every one went through the counter (plus the base's one verification pass), none past the budget.
        assertEquals(r.totalQueries() + x.dim(0), counter.queries());
        assertEquals(0, counter.gradients());
        int budget = ((BlackBoxAttack) attack).queries();
        for (int q : r.queries()) assertTrue(q >= 1 && q <= budget, "queries " + q + " outside [1, " + budget + "]");

        // Same seed, same bits; another seed, another search (pixel-search has no randomness).
        AttackResult again = make.apply(3).run(model, x, new Misclassification(y));
        assertArrayEquals(r.adversarial().data(), again.adversarial().data());
        assertArrayEquals(r.queries(), again.queries());
        if (!(attack instanceof PixelSearch))
            assertFalse(Arrays.equals(r.adversarial().data(), make.apply(4).run(model, x, new Misclassification(y)).adversarial().data()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void targetedSuccessIsVerified(LongFunction<Attack> make) {
        Model model = Fixtures.mlp();
        int[] y = TEST.labels(), t = new int[y.length];
        for (int i = 0; i < y.length; i++) t[i] = (y[i] + 1) % 3;
        Criterion crit = new TargetedMisclassification(t, y);
        Attack attack = make.apply(5);
        AttackResult r = attack.run(Fixtures.blackBox(model), TEST.images(), crit);
        checkOutputs(attack, model, TEST.images(), r, crit);
        if (!(attack instanceof PixelAttack)) assertTrue(r.successRate() > 0, attack.name() + " reached no target");
    }

    /** In bounds, in the eps-ball or pixel budget, and success flags equal to a fresh forward pass's verdict. */
    private static void checkOutputs(Attack attack, Model model, Tensor x, AttackResult r, Criterion crit) {
        float[] a = r.adversarial().data(), x0 = x.data();
        int n = x.dim(0), d = model.inputSize();
        for (float v : a) assertTrue(model.bounds().contains(v), "value " + v + " outside the bounds");
        if (!attack.minimumNorm())
            for (int i = 0; i < n; i++)
                assertTrue(attack.norm().measure(a, x0, i * d, d) <= attack.eps() + 1e-6, "example " + i + " outside the ball");
        if (attack instanceof PixelAttack pa) {
            PixelAttackResult pr = PixelAttackResult.of(r, x);
            for (int i = 0; i < n; i++) assertTrue(pr.pixelL0(i) <= pa.pixels(), "example " + i + " changed " + pr.pixelL0(i));
        }
        int[] fresh = model.predict(r.adversarial());
        assertArrayEquals(fresh, r.predictions());
        for (int i = 0; i < n; i++) {
            assertEquals(crit.isAdversarial(i, fresh[i]), r.success()[i], "success flag of example " + i);
            assertEquals(attack.norm().measure(a, x0, i * d, d), r.size()[i], 1e-5);
        }
    }

    private static double accuracy(int[] pred, int[] y) {
        int ok = 0;
        for (int i = 0; i < y.length; i++) if (pred[i] == y[i]) ok++;
        return (double) ok / y.length;
    }

    @Test
    void tightBudgetsAreSpentButNeverExceeded() {
        Model model = Fixtures.mlp();
        Criterion crit = new Misclassification(TEST.labels());
        Attack[] tight = {
            OnePixelAttack.builder().population(20).queries(61).build(), // clean + population + 2 generations
            SquareAttack.builder().norm(Norm.LINF).eps(0.02f).queries(25).build(),
            SimBA.builder().eps(0.01f).queries(7).build(),
            HopSkipJump.builder().queries(60).build(),
            BoundaryAttack.builder().queries(30).build(),
            PixelSearch.builder().queries(10).build(),
        };
        for (Attack a : tight) {
            AttackResult r = a.run(model, TEST.images(), crit);
            int budget = ((BlackBoxAttack) a).queries(), max = Arrays.stream(r.queries()).max().orElse(0);
            assertTrue(max <= budget, a.name() + " spent " + max + " of " + budget);
            if (!(a instanceof HopSkipJump)) assertEquals(budget, max, a.name() + " should spend its whole budget on a failure");
        }
    }

    @Test
    void alreadyMisclassifiedExamplesCostOneQueryAndStayPut() {
        Model model = Fixtures.mlp();
        Tensor x = TEST.images();
        int[] wrong = model.predict(x);
        for (int i = 0; i < wrong.length; i++) wrong[i] = (wrong[i] + 1) % 3; // every "label" is already wrong
        AttackResult r = SquareAttack.builder().norm(Norm.LINF).eps(0.1f).build().run(model, x, new Misclassification(wrong));
        assertArrayEquals(x.data(), r.adversarial().data());
        for (int q : r.queries()) assertEquals(1, q);
    }

    @Test
    void badParametersGivePinnedMessages() {
        assertMessage("onepixel: parameter pixels = 0, expected a whole number >= 1", () -> OnePixelAttack.builder().pixels(0).build());
        assertMessage("onepixel: parameter queries = 0, expected a whole number >= 401", () -> OnePixelAttack.builder().queries(0).build());
        assertMessage("square: parameter queries = 0, expected a whole number >= 2", () -> SquareAttack.builder().norm(Norm.LINF).eps(0.1f).queries(0).build());
        assertMessage("square: parameter eps = 0.0, expected a finite number > 0", () -> SquareAttack.builder().norm(Norm.LINF).eps(0f).build());
        assertMessage("square: parameter eps = -0.1, expected a finite number > 0", () -> SquareAttack.builder().norm(Norm.L2).eps(-0.1f).build());
        assertMessage("square: parameter eps is required", () -> SquareAttack.builder().norm(Norm.LINF).build());
        assertMessage("square: parameter norm = l1, expected linf or l2", () -> SquareAttack.builder().norm(Norm.L1).eps(1f).build());
        assertMessage("simba: parameter queries = 0, expected a whole number >= 1", () -> SimBA.builder().queries(0).build());
        assertMessage("simba: parameter eps = 0.0, expected a finite number > 0", () -> SimBA.builder().eps(0f).build());
        assertMessage("simba: parameter basis = fourier, expected pixel or dct", () -> SimBA.Basis.parse("fourier"));
        assertMessage("hsja: parameter queries = 0, expected a whole number >= 1", () -> HopSkipJump.builder().queries(0).build());
        assertMessage("hsja: parameter eps = 0.0, expected a finite number > 0", () -> HopSkipJump.builder().eps(0f).build());
        assertMessage("boundary: parameter queries = 0, expected a whole number >= 1", () -> BoundaryAttack.builder().queries(0).build());
        assertMessage("pixel-search: parameter queries = 0, expected a whole number >= 1", () -> PixelSearch.builder().queries(0).build());
    }

    @Test
    void registryBuildsEveryAttackByNameAndRejectsStrayOptions() {
        Map<String, String> specs = Map.of(
                "onepixel", "onepixel:pixels=3,queries=1000,seed=2",
                "square", "square:norm=linf,eps=0.1,queries=5000",
                "simba", "simba:basis=dct,eps=0.2",
                "hsja", "hsja:norm=linf,queries=2000",
                "boundary", "boundary:queries=2000",
                "pixel-search", "pixel-search",
                "spsa", "spsa:eps=0.1,samples=32");
        for (String name : AttackRegistry.names(true)) assertEquals(name, AttackRegistry.create(specs.get(name)).name());
        assertEquals(3L, AttackRegistry.create(specs.get("onepixel")).parameters().get("pixels"));
        assertEquals(5000L, AttackRegistry.create(specs.get("square")).parameters().get("queries"));
        assertEquals(0.1, (double) AttackRegistry.create("square:norm=linf,eps=0.1,restarts=2,seed=7").eps(), 1e-7);
        assertMessage("onepixel: parameter eps is not taken (it takes pixels, queries, population, generations, mutation, batch, seed)",
                () -> AttackRegistry.create("onepixel:eps=0.1"));
        assertMessage("square: parameter pixels is not taken (it takes norm, eps, queries, pInit, restarts, batch, seed)",
                () -> AttackRegistry.create("square:norm=linf,eps=0.1,pixels=3"));
        assertEquals(Norm.LINF, AttackRegistry.create("square:eps=0.1").norm(), "linf by default, as every attack that takes it");
        assertEquals(Norm.LINF, SquareAttack.builder().eps(0.1f).build().norm());
        assertMessage("square: parameter eps is required", () -> AttackRegistry.create("square:norm=l2"));
        assertMessage("onepixel: parameter pixels = 0, expected a whole number >= 1", () -> AttackRegistry.create("onepixel:pixels=0"));
        assertMessage("onepixel: parameter pixels = 1.5, expected a whole number", () -> AttackRegistry.create("onepixel:pixels=1.5"));
        assertMessage("unknown attack 'zoo' (expected one of " + String.join(", ", AttackRegistry.names()) + ")",
                () -> AttackRegistry.create("zoo"));
    }

    private static void assertMessage(String msg, org.junit.jupiter.api.function.Executable e) {
        assertEquals(msg, assertThrows(FeintException.class, e).getMessage());
    }
}
