package dev.feint.cli;

import dev.feint.attack.Norm;
import dev.feint.eval.audit.AuditReport;
import dev.feint.eval.audit.ClassCountCheck;
import dev.feint.eval.audit.UnboundedAttackCheck;
import dev.feint.io.Json;
import dev.feint.nn.Architecture;
import dev.feint.nn.LayerSpec;
import dev.feint.nn.Network;
import dev.feint.nn.NetworkFile;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code feint audit} and {@code feint eval --audit}: exit codes, outputs, and flag errors. */
class AuditCommandTest {
    static final String DATA = Path.of("..", "demo", "fashion-mnist-1k").toString();
    static final String MODEL = Path.of("..", "demo", "models", "fmnist-lenet-pgd.safetensors").toString();

    @TempDir Path dir;

    /**
     * The PGD-trained LeNet behind a saturated threshold, saved as an ordinary model file: a 1x1
     * convolution with weight 1e6 and a sigmoid binarise the input at 0.5 (the sigmoid's gradient is
     * exactly 0 in float at that scale), a second 1x1 convolution restores the LeNet's normalisation.
     */
    private Path binarisedLeNet() {
        NetworkFile.Loaded base = NetworkFile.load(Path.of(MODEL));
        Network src = base.network();
        Architecture a = src.architecture();
        List<LayerSpec> layers = new ArrayList<>(List.of(LayerSpec.of("conv2d", "in", 1, "out", 1, "kernel", 1), LayerSpec.of("sigmoid"),
                LayerSpec.of("conv2d", "in", 1, "out", 1, "kernel", 1)));
        layers.addAll(a.layers());
        Architecture masked = new Architecture("binarised-lenet", a.input(), a.numClasses(), layers);
        Network net = new Network(masked, masked.build(1), new float[] {0f}, new float[] {1f});
        Map<String, Tensor> to = net.body().namedParameters(), from = src.body().namedParameters();
        float mean = src.mean()[0], std = src.std()[0];
        to.get("0.weight").data()[0] = 1e6f;
        to.get("0.bias").data()[0] = -0.5e6f;
        to.get("2.weight").data()[0] = 1f / std;
        to.get("2.bias").data()[0] = -mean / std;
        for (var e : from.entrySet()) {
            String[] p = e.getKey().split("\\.", 2);
            String name = (Integer.parseInt(p[0]) + 3) + "." + p[1];
            System.arraycopy(e.getValue().data(), 0, to.get(name).data(), 0, e.getValue().size());
        }
        for (Tensor t : to.values()) t.markModified();
        Path file = dir.resolve("binarised.safetensors");
        NetworkFile.save(file, net, base.classNames(), Map.of());
        return file;
    }

    @Test
    void strictExitsWithThreeOnAMaskedModelAndStillWritesItsFindings() throws Exception {
        Path json = dir.resolve("audit.json"), md = dir.resolve("audit.md"), report = dir.resolve("report");
        CliRun r = CliRun.of("audit", "--model", binarisedLeNet().toString(), "--data", DATA, "--eps", "0.1", "--limit", "20", "--steps", "10",
                "--restarts", "2", "--queries", "100", "--targets", "2", "--strict", "--quiet", "--json", json.toString(), "--markdown", md.toString(),
                "--report", report.toString());
        assertEquals(AuditCommand.STRICT_FAILURE, r.code(), r.err());
        Map<?, ?> audit = (Map<?, ?>) ((Map<?, ?>) Json.parse(Files.readString(json))).get("audit");
        assertEquals("FAIL", audit.get("verdict"));
        Map<?, ?> gradients = ((List<?>) audit.get("checks")).stream().map(c -> (Map<?, ?>) c)
                .filter(c -> c.get("id").equals("gradients")).findFirst().orElseThrow();
        assertEquals("FAIL", gradients.get("verdict"));
        assertEquals(1.0, gradients.get("figure"), "the sigmoid passes no gradient at all");
        assertTrue(Files.readString(md).startsWith("## Audit: FAIL"));
        String html = Files.readString(report.resolve("index.html"));
        int panel = html.indexOf("Audit of binarised.safetensors");
        assertTrue(panel > 0 && panel < html.indexOf("worst case, eps"), "the audit panel comes first");
        assertTrue(html.contains("<span class=\"v FAIL\">FAIL</span>"), "the verdict is in the panel's heading");
        assertTrue(Files.readString(report.resolve("report.json")).contains("\"audit\""));
    }

    @Test
    void exitCodeIsThreeOnlyForAStrictFailure() {
        AuditReport fail = new AuditReport(1, Norm.LINF, 0.1f, 1, 1, 1, List.of(UnboundedAttackCheck.judge(1, 1f, "linf")), List.of());
        AuditReport warn = new AuditReport(1, Norm.LINF, 0.1f, 1, 1, 1, List.of(ClassCountCheck.judge(3)), List.of());
        assertEquals(3, AuditCommand.exitCode(fail, true));
        assertEquals(0, AuditCommand.exitCode(fail, false));
        assertEquals(0, AuditCommand.exitCode(warn, true), "a warning never fails the build");
    }

    @Test
    void evalAuditAddsTheAuditToTheJson() throws Exception {
        Path json = dir.resolve("eval.json");
        CliRun r = CliRun.of("eval", "--model", Path.of("..", "demo", "models", "fmnist-lenet.safetensors").toString(), "--data", DATA,
                "--limit", "8", "--attacks", "fgsm", "--eps", "0.2,0.1", "--audit", "--quiet", "--json", json.toString());
        assertEquals(0, r.code(), r.err());
        Map<?, ?> doc = (Map<?, ?>) Json.parse(Files.readString(json));
        Map<?, ?> audit = (Map<?, ?>) doc.get("audit");
        // The natural LeNet has no robust example at eps 0.2, so Square stops early and the default budget stays cheap.
        assertEquals(0.2, (double) audit.get("eps"), 1e-6, "the first eps is audited");
        assertEquals(9, ((List<?>) audit.get("checks")).size());
        assertTrue(doc.containsKey("robustness"));
    }

    @Test
    void badFlagsAreUserErrors() {
        CliRun eps = CliRun.of("audit", "--model", MODEL, "--data", DATA, "--eps", "1", "--limit", "2");
        assertEquals(2, eps.code(), eps.err());
        assertTrue(eps.err().contains("--eps must be > 0 and below the unbounded linf radius 1.0"), eps.err());
        CliRun norm = CliRun.of("audit", "--model", MODEL, "--data", DATA, "--eps", "0.1", "--norm", "l5", "--limit", "2");
        assertEquals(2, norm.code(), norm.err());
        assertTrue(norm.err().contains("--norm: unknown norm 'l5'"), norm.err());
        CliRun restarts = CliRun.of("audit", "--model", MODEL, "--data", DATA, "--eps", "0.1", "--restarts", "1", "--limit", "2");
        assertEquals(2, restarts.code(), restarts.err());
        assertTrue(restarts.err().contains("--restarts must be >= 2, got 1"), restarts.err());
        CliRun evalAudit = CliRun.of("eval", "--model", MODEL, "--data", DATA, "--audit", "--limit", "2");
        assertEquals(2, evalAudit.code(), evalAudit.err());
        assertTrue(evalAudit.err().contains("--audit needs --attacks and --eps"), evalAudit.err());
        for (CliRun r : List.of(eps, norm, restarts, evalAudit)) assertFalse(r.err().contains("\tat "), r.err());
    }
}
