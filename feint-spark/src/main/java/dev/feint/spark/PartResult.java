package dev.feint.spark;

import dev.feint.attack.Attack;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.ExampleResult;
import dev.feint.tensor.Shape;
import dev.feint.tensor.Tensor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one task sends back: for each attack run of the evaluation, the partition's per-example
 * results and adversarial rows (an {@link AttackOutcome} without its attack, which the driver
 * holds). {@link #merge} puts the partitions back together in index order.
 */
record PartResult(Slice slice, List<Run> runs) implements Serializable {
    /**
     * One run's part: examples in index order, their adversarial rows (flat; null when they stay
     * in an NPY shard), seconds, stage seconds (null: single attack).
     */
    record Run(boolean targeted, List<ExampleResult> examples, float[] adversarial, double seconds, LinkedHashMap<String, Double> stages)
            implements Serializable {}

    /** The part of these outcomes, with their adversarial rows or (withRows false) without. */
    static PartResult of(Slice slice, List<AttackOutcome> outcomes, boolean withRows) {
        List<Run> runs = new ArrayList<>(outcomes.size());
        for (AttackOutcome o : outcomes)
            runs.add(new Run(o.targeted(), new ArrayList<>(o.examples()), withRows ? o.adversarial().data() : null, o.wallSeconds(),
                    o.stageSeconds() == null ? null : new LinkedHashMap<>(o.stageSeconds())));
        return new PartResult(slice, runs);
    }

    /**
     * One outcome per run over all n examples, from every partition's part: examples and rows
     * concatenated in index order; seconds (and stage seconds) summed, the work over the cluster.
     * Parts without adversarial rows give outcomes without them (a null tensor).
     */
    static List<AttackOutcome> merge(List<Attack> runs, List<PartResult> parts, int n, int[] exampleShape) {
        List<PartResult> sorted = new ArrayList<>(parts);
        sorted.sort(Comparator.comparingInt(p -> p.slice().from()));
        int next = 0;
        for (PartResult p : sorted) {
            if (p.slice().from() != next || p.runs().size() != runs.size())
                throw new IllegalStateException("partition " + p.slice() + " does not continue at example " + next + " with " + runs.size() + " runs");
            next = p.slice().to();
        }
        if (next != n) throw new IllegalStateException("the partitions end at example " + next + ", expected " + n);
        int d = 1;
        for (int s : exampleShape) d *= s;
        List<AttackOutcome> out = new ArrayList<>(runs.size());
        for (int r = 0; r < runs.size(); r++) {
            List<ExampleResult> ex = new ArrayList<>(n);
            int run = r;
            boolean rows = sorted.stream().allMatch(p -> p.runs().get(run).adversarial() != null);
            float[] adv = rows ? new float[n * d] : null;
            double secs = 0;
            Map<String, Double> stages = null;
            boolean targeted = false;
            for (PartResult p : sorted) {
                Run part = p.runs().get(r);
                ex.addAll(part.examples());
                if (rows) System.arraycopy(part.adversarial(), 0, adv, p.slice().from() * d, p.slice().size() * d);
                secs += part.seconds();
                targeted = part.targeted();
                if (part.stages() != null) {
                    if (stages == null) stages = new LinkedHashMap<>();
                    for (var e : part.stages().entrySet()) stages.merge(e.getKey(), e.getValue(), Double::sum);
                }
            }
            int[] dims = new int[exampleShape.length + 1];
            dims[0] = n;
            System.arraycopy(exampleShape, 0, dims, 1, exampleShape.length);
            out.add(new AttackOutcome(runs.get(r), targeted, rows ? new Tensor(Shape.of(dims), adv) : null, ex, secs, stages));
        }
        return out;
    }
}
