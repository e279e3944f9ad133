package dev.feint.attack.blackbox;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
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
        assertMessage("onepixel: pixels must be >= 1, got 0", () -> OnePixelAttack.builder().pixels(0).build());
        assertMessage("onepixel: queries must be >= 401, got 0", () -> OnePixelAttack.builder().queries(0).build());
        assertMessage("square: queries must be >= 2, got 0", () -> SquareAttack.builder().norm(Norm.LINF).eps(0.1f).queries(0).build());
        assertMessage("square: eps must be a finite number > 0, got 0.0", () -> SquareAttack.builder().norm(Norm.LINF).eps(0f).build());
        assertMessage("square: eps must be a finite number > 0, got -0.1", () -> SquareAttack.builder().norm(Norm.L2).eps(-0.1f).build());
        assertMessage("square: eps is required", () -> SquareAttack.builder().norm(Norm.LINF).build());
        assertMessage("square: norm l1 is not supported (expected linf or l2)", () -> SquareAttack.builder().norm(Norm.L1).eps(1f).build());
        assertMessage("simba: queries must be >= 1, got 0", () -> SimBA.builder().queries(0).build());
        assertMessage("simba: eps must be a finite number > 0, got 0.0", () -> SimBA.builder().eps(0f).build());
        assertMessage("simba: unknown basis 'fourier' (expected pixel or dct)", () -> SimBA.Basis.parse("fourier"));
        assertMessage("hsja: queries must be >= 1, got 0", () -> HopSkipJump.builder().queries(0).build());
        assertMessage("hsja: eps must be a finite number > 0, got 0.0", () -> HopSkipJump.builder().eps(0f).build());
        assertMessage("boundary: queries must be >= 1, got 0", () -> BoundaryAttack.builder().queries(0).build());
        assertMessage("pixel-search: queries must be >= 1, got 0", () -> PixelSearch.builder().queries(0).build());
    }

    @Test
    void registryBuildsEveryAttackByNameAndRejectsStrayOptions() {
        Map<String, Map<String, Object>> opts = Map.of(
                "onepixel", Map.of("pixels", 3, "queries", 1000, "seed", 2),
                "square", Map.of("norm", "linf", "eps", 0.1, "queries", "5000"),
                "simba", Map.of("basis", "dct", "eps", 0.2),
                "hsja", Map.of("norm", "linf", "queries", 2000),
                "boundary", Map.of("queries", 2000),
                "pixel-search", Map.of());
        for (String name : BlackBoxAttacks.NAMES) assertEquals(name, BlackBoxAttacks.create(name, opts.get(name)).name());
        assertEquals(3L, BlackBoxAttacks.create("onepixel", opts.get("onepixel")).parameters().get("pixels"));
        assertEquals(5000L, BlackBoxAttacks.create("square", opts.get("square")).parameters().get("queries"));
        assertEquals("pixel-search", BlackBoxAttacks.create("pixel-search", null, null, null, null, null, 7L).name());
        assertEquals(0.1, (double) BlackBoxAttacks.create("square", Norm.LINF, 0.1f, null, null, 2, 7L).eps(), 1e-7);
        // The shared --attack registry hands black-box names on.
        var shared = dev.feint.attack.gradient.GradientAttacks.create("square",
                new dev.feint.attack.gradient.GradientAttacks.Options(Norm.LINF, 0.1f, null, null, null, 1L));
        assertEquals("square", shared.name());
        assertMessage("onepixel does not take --eps", () -> BlackBoxAttacks.create("onepixel", null, 0.1f, null, null, null, 7L));
        assertMessage("square does not take --pixels", () -> BlackBoxAttacks.create("square", Map.of("norm", "linf", "eps", 0.1, "pixels", 3)));
        assertMessage("square: norm is required", () -> BlackBoxAttacks.create("square", Map.of("eps", 0.1)));
        assertMessage("onepixel: pixels must be >= 1, got 0", () -> BlackBoxAttacks.create("onepixel", Map.of("pixels", 0)));
        assertMessage("onepixel: --pixels must be a whole number, got 1.5", () -> BlackBoxAttacks.create("onepixel", Map.of("pixels", 1.5)));
        assertMessage("unknown black-box attack 'zoo' (expected one of onepixel, square, simba, hsja, boundary, pixel-search)",
                () -> BlackBoxAttacks.create("zoo", Map.of()));
    }

    private static void assertMessage(String msg, org.junit.jupiter.api.function.Executable e) {
        assertEquals(msg, assertThrows(FeintException.class, e).getMessage());
    }
}
