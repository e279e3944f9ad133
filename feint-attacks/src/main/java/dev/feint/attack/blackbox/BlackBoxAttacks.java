package dev.feint.attack.blackbox;

import dev.feint.FeintException;
import dev.feint.attack.Attack;
import dev.feint.attack.Norm;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The black-box attacks by name, for {@code feint attack --attack NAME} and {@code feint eval}:
 * onepixel, square, simba, hsja, boundary, pixel-search. Options are the CLI flags without
 * dashes (values as Number or String; null means "not given"): pixels, queries, norm, eps,
 * seed, restarts, p-init, basis, frequency-ratio, iterations, steps, batch, population,
 * generations. An option the attack does not take is an error, not silently ignored (the seed
 * is accepted by all). For simba, eps is the paper's step epsilon; for hsja and boundary it
 * makes the attack fixed-eps (without it they are minimum-norm).
 *
 * <pre>{@code
 * Attack a = BlackBoxAttacks.create("square", Map.of("norm", "linf", "eps", 0.1, "queries", 5000));
 * }</pre>
 */
public final class BlackBoxAttacks {
    public static final List<String> NAMES = List.of(OnePixelAttack.NAME, SquareAttack.NAME, SimBA.NAME, HopSkipJump.NAME,
            BoundaryAttack.NAME, PixelSearch.NAME);

    private BlackBoxAttacks() {}

    public static boolean has(String name) { return NAMES.contains(name); }

    /** The typed form the shared --attack registry passes on (null: not given); budgets and pixels take their defaults. */
    public static Attack create(String name, Norm norm, Float eps, Integer steps, Float stepSize, Integer restarts, Long seed) {
        Map<String, Object> m = new java.util.HashMap<>();
        if (norm != null) m.put("norm", norm.id());
        m.put("eps", eps);
        m.put("steps", steps);
        m.put("step-size", stepSize);
        m.put("restarts", restarts);
        m.put("seed", seed);
        return create(name, m);
    }

    public static Attack create(String name, Map<String, ?> options) {
        Opts o = new Opts(name, options);
        Attack a = switch (name) {
            case OnePixelAttack.NAME -> {
                OnePixelAttack.Builder b = OnePixelAttack.builder();
                o.i("pixels", b::pixels);
                o.i("queries", b::queries);
                o.i("population", b::population);
                o.i("generations", b::generations);
                o.l("seed", b::seed);
                o.i("batch", b::batch);
                yield b.build();
            }
            case SquareAttack.NAME -> {
                SquareAttack.Builder b = SquareAttack.builder();
                o.norm(b::norm);
                o.f("eps", b::eps);
                o.i("queries", b::queries);
                o.i("restarts", b::restarts);
                o.f("p-init", v -> b.pInit(v));
                o.l("seed", b::seed);
                o.i("batch", b::batch);
                yield b.build();
            }
            case SimBA.NAME -> {
                SimBA.Builder b = SimBA.builder();
                o.s("basis", v -> b.basis(SimBA.Basis.parse(v)));
                o.f("eps", b::eps);
                o.f("frequency-ratio", b::frequencyRatio);
                o.i("queries", b::queries);
                o.l("seed", b::seed);
                o.i("batch", b::batch);
                yield b.build();
            }
            case HopSkipJump.NAME -> {
                HopSkipJump.Builder b = HopSkipJump.builder();
                o.norm(b::norm);
                o.f("eps", b::eps);
                o.i("queries", b::queries);
                o.i("iterations", b::iterations);
                o.i("steps", b::iterations);
                o.l("seed", b::seed);
                o.i("batch", b::batch);
                yield b.build();
            }
            case BoundaryAttack.NAME -> {
                BoundaryAttack.Builder b = BoundaryAttack.builder();
                o.f("eps", b::eps);
                o.i("queries", b::queries);
                o.i("steps", b::steps);
                o.l("seed", b::seed);
                o.i("batch", b::batch);
                yield b.build();
            }
            case PixelSearch.NAME -> {
                PixelSearch.Builder b = PixelSearch.builder();
                o.l("seed", v -> {}); // accepted by every attack; pixel search is deterministic
                o.i("queries", b::queries);
                o.i("batch", b::batch);
                yield b.build();
            }
            default -> throw new FeintException("unknown black-box attack '" + name + "' (expected one of " + String.join(", ", NAMES) + ")");
        };
        o.rejectUnused();
        return a;
    }

    /** Typed reads of the options map that remember which keys were used. */
    private static final class Opts {
        final String attack;
        final Map<String, ?> map;
        final Set<String> used = new HashSet<>();

        Opts(String attack, Map<String, ?> map) {
            this.attack = attack;
            this.map = map == null ? Map.of() : map;
        }

        private Object get(String k) {
            used.add(k);
            return map.get(k);
        }

        void i(String k, java.util.function.IntConsumer c) {
            Object v = get(k);
            if (v != null) c.accept((int) num(k, v, true));
        }

        void l(String k, java.util.function.LongConsumer c) {
            Object v = get(k);
            if (v != null) c.accept((long) num(k, v, true));
        }

        void f(String k, java.util.function.Consumer<Float> c) {
            Object v = get(k);
            if (v != null) c.accept((float) num(k, v, false));
        }

        void s(String k, java.util.function.Consumer<String> c) {
            Object v = get(k);
            if (v != null) c.accept(v.toString());
        }

        void norm(java.util.function.Consumer<Norm> c) { s("norm", v -> c.accept(Norm.parse(v))); }

        private double num(String k, Object v, boolean integer) {
            double d;
            try {
                d = v instanceof Number nb ? nb.doubleValue() : Double.parseDouble(v.toString().trim());
            } catch (NumberFormatException e) {
                throw new FeintException(attack + ": --" + k + " '" + v + "' is not a number");
            }
            if (integer && (d != Math.rint(d) || Math.abs(d) > Long.MAX_VALUE / 2.0))
                throw new FeintException(attack + ": --" + k + " must be a whole number, got " + v);
            if (integer && !k.equals("seed") && Math.abs(d) > Integer.MAX_VALUE)
                throw new FeintException(attack + ": --" + k + " is too large, got " + v);
            return d;
        }

        void rejectUnused() {
            for (var e : map.entrySet())
                if (e.getValue() != null && !used.contains(e.getKey()))
                    throw new FeintException(attack + " does not take --" + e.getKey());
        }
    }
}
