package dev.feint.eval;

import dev.feint.attack.AttackRegistry;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.eval.audit.Audit;
import dev.feint.eval.audit.AuditBudget;
import dev.feint.eval.audit.AuditReport;
import dev.feint.eval.audit.AuditRun;
import dev.feint.eval.audit.CheckResult;
import dev.feint.io.Json;
import dev.feint.model.NetworkModel;
import dev.feint.nn.NetworkFile;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The transfer evaluation and the audit read a {@link Dataset} a batch at a time, and give the
 * figures of the whole-tensor path they replaced: {@code streaming-figures.json} holds the
 * accuracies, verdicts and per-example flags that path computed on the demo data (45 images, 3
 * batches of 16, the last one short), written before the change; every figure there is a count
 * of examples, so it does not move with the last bits of a kernel. Within one build the streamed
 * and the in-memory dataset give the same bits.
 */
class StreamingTransferAuditTest {
    static final int N = 45, BATCH = 16;
    static final Path GOLDEN = Path.of("src/test/resources/dev/feint/eval/streaming-figures.json");

    static Dataset demo() { return Datasets.load(Path.of("..", "demo", "fashion-mnist-1k").toString(), "test").slice(0, N); }

    static NetworkModel model(String file) {
        return NetworkModel.of(NetworkFile.load(Path.of("..", "demo", "models", file)).network());
    }

    /** MI-FGSM and PGD crafted on the standard LeNet, replayed on the PGD-trained one (and on itself). */
    static TransferReport transfer(Dataset d) {
        NamedModel std = new NamedModel("lenet", model("fmnist-lenet.safetensors")), pgd = new NamedModel("lenet-pgd",
                model("fmnist-lenet-pgd.safetensors"));
        return TransferEvaluation.builder().surrogate(std).targets(List.of(pgd, std)).data(d)
                .attacks(List.of(AttackRegistry.create("mifgsm:eps=0.1,steps=5"), AttackRegistry.create("pgd:eps=0.1,steps=5,seed=3")))
                .eps(0.05f, 0.15f).batchSize(BATCH).build().run();
    }

    /** The whole audit (every check, the transfer one included) of the PGD-trained LeNet at a small budget. */
    static AuditReport audit(Dataset d) {
        AuditBudget quick = AuditBudget.DEFAULT.withSteps(2, 5).withRestarts(2).withSquareQueries(60).withTargets(2);
        return Audit.builder().model(model("fmnist-lenet-pgd.safetensors")).surrogate(model("fmnist-lenet.safetensors")).data(d)
                .eps(0.1f).budget(quick).seed(7).batchSize(BATCH).build().run();
    }

    /** The figures that are counts of examples: accuracies, verdicts and per-example flags. */
    static Map<String, Object> figures(TransferReport t, AuditReport a) {
        Map<String, Object> tr = new LinkedHashMap<>();
        tr.put("surrogateClean", t.surrogateClean());
        tr.put("targetClean", List.of(t.targetClean()[0], t.targetClean()[1]));
        for (TransferReport.Row r : t.rows())
            tr.put(r.attack() + "@" + r.eps(), List.of(r.whiteBox(), r.transfer()[0], r.transfer()[1], flags(r.robust()[0]), flags(r.robust()[1])));
        Map<String, Object> au = new LinkedHashMap<>();
        au.put("clean", a.cleanAccuracy());
        au.put("robust", a.robustAccuracy());
        au.put("whiteBox", a.whiteBoxRobustAccuracy());
        for (CheckResult c : a.checks()) au.put("check " + c.id(), c.verdict().name());
        for (AuditRun.Run r : a.runs()) au.put("run " + r.label() + "@" + r.eps(), flags(r.robust()));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("transfer", tr);
        out.put("audit", au);
        return out;
    }

    static String flags(boolean[] f) {
        StringBuilder b = new StringBuilder();
        for (boolean x : f) b.append(x ? '1' : '0');
        return b.toString();
    }

    @Test
    void streamedTransferAndAuditGiveTheWholeTensorFiguresReadingOneBatchAtATime() throws Exception {
        Dataset whole = demo();
        AtomicInteger largest = new AtomicInteger();
        Dataset streamed = new Dataset(whole.name(), new StreamingEvaluationTest.Counting(whole.images(), largest), whole.labels(), whole.numClasses(),
                whole.classNames());
        TransferReport t = transfer(streamed);
        AuditReport a = audit(streamed);
        assertTrue(largest.get() > 0 && largest.get() <= BATCH, "the source was read a batch at a time: " + largest.get());
        Map<String, Object> f = figures(t, a);
        Object golden = Json.parse(Files.readString(GOLDEN));
        assertEquals(golden, Json.parse(Json.writePretty(f)), "the figures of the whole-tensor path");
        assertTrue(t.rows().stream().allMatch(r -> r.whiteBox() < t.surrogateClean()), "the attacks did something");
        assertTrue(a.runs().stream().allMatch(r -> r.outcome() == null || r.outcome().adversarial() == null), "no run kept its inputs");

        // One build, two sources: the same bits (the in-memory dataset is read as one tensor's rows).
        TransferReport t2 = transfer(whole);
        assertEquals(Json.writePretty(t2.toJson()), Json.writePretty(t.toJson()));
        AuditReport a2 = audit(whole);
        assertEquals(EvalJournalTest.untimed(untimedRuns(a2.toJson())), EvalJournalTest.untimed(untimedRuns(a.toJson())));
        for (int i = 0; i < a.runs().size(); i++) assertArrayEquals(a2.runs().get(i).robust(), a.runs().get(i).robust());
    }

    /** The audit's JSON without the runs' seconds. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> untimedRuns(Map<String, Object> m) {
        Map<String, Object> out = new LinkedHashMap<>(m);
        out.put("runs", ((List<Map<String, Object>>) m.get("runs")).stream().map(r -> {
            Map<String, Object> c = new LinkedHashMap<>(r);
            c.remove("seconds");
            return c;
        }).toList());
        return out;
    }
}
