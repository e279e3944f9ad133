package dev.feint.attack.gradient;

import dev.feint.attack.AttackBase;
import dev.feint.attack.AttackContext;
import dev.feint.attack.Criterion;
import dev.feint.tensor.Tensor;

import java.util.Map;

/** The shared body of the attacks that are settings of {@link GradientLoop}. */
abstract class LoopAttack extends AttackBase {
    final GradientLoop.Config config;

    LoopAttack(String name, GradientLoop.Config config) {
        super(name, config.norm(), config.eps());
        this.config = config;
    }

    @Override protected final Tensor perturb(AttackContext ctx, Tensor x, Criterion criterion) {
        return GradientLoop.run(ctx, x, criterion, config);
    }

    @Override protected void describe(Map<String, Object> p) {
        p.put("steps", (long) config.steps());
        p.put("stepSize", (double) config.stepSize());
        p.put("loss", config.loss().name());
        if (config.randomStart()) {
            p.put("randomStart", true);
            p.put("restarts", (long) config.restarts());
            p.put("seed", config.seed());
        }
        if (config.momentum() > 0) p.put("decay", (double) config.momentum());
    }
}
