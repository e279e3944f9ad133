package dev.feint.attack.gradient;

import dev.feint.attack.Attack;
import dev.feint.attack.AttackArgs;
import dev.feint.attack.AttackParam;
import dev.feint.attack.internal.Checks;
import dev.feint.attack.Loss;
import dev.feint.attack.Norm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The shared body of the transfer family (DI, TI, NI, SI, VMI, VNI-FGSM): MI-FGSM's setting of
 * {@link GradientLoop} (momentum, last iterate, no random start) with a {@link TransferSettings}
 * that replaces the plain gradient. Each attack's file holds its entry, defaults and builder.
 */
final class TransferAttack extends LoopAttack {
    private final Float stepSize;
    private final TransferSettings transfer;

    TransferAttack(String name, Norm norm, float eps, int steps, Float stepSize, float decay, Loss loss, long seed, TransferSettings t) {
        super(name, new GradientLoop.Config(norm, eps, stepSize != null ? stepSize : eps / steps, steps, false, 0f, 1, decay, false,
                loss, 1f, seed, t));
        this.stepSize = stepSize;
        this.transfer = t;
    }

    @Override public Attack withEps(float e) {
        return new TransferAttack(name, norm, Checks.eps(name, e), config.steps(), stepSize, config.momentum(), config.loss(),
                config.seed(), transfer);
    }

    @Override protected void describe(Map<String, Object> p) {
        super.describe(p);
        p.put("decay", (double) config.momentum());
        p.put("seed", config.seed());
        transfer.describe(p);
    }

    /** The registry parameters every transfer attack declares (seed when random), then {@code own}. */
    static List<AttackParam> params(boolean random, AttackParam... own) {
        List<AttackParam> p = new ArrayList<>(List.of(AttackParam.norm("linf", "linf or l2"),
                AttackParam.eps("0.1 linf, 1.0 l2", "the radius"), AttackParam.whole("steps", "10", "iterations"),
                AttackParam.number("stepSize", "eps / steps", "step length"),
                AttackParam.number("decay", "1.0", "momentum decay mu (0: none)"), AttackParam.loss("ce")));
        if (random) p.add(AttackParam.seed());
        p.addAll(List.of(own));
        return p;
    }
}
