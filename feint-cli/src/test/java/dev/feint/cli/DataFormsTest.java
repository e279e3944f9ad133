package dev.feint.cli;

import dev.feint.autograd.Grad;
import dev.feint.autograd.Reductions;
import dev.feint.data.Batch;
import dev.feint.data.Batches;
import dev.feint.data.Dataset;
import dev.feint.data.Datasets;
import dev.feint.io.Json;
import dev.feint.io.Npy;
import dev.feint.io.Png;
import dev.feint.nn.Network;
import dev.feint.nn.NetworkFile;
import dev.feint.tensor.Tensor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Real data in every form: the 1,000 Fashion-MNIST test images of demo/ re-written as a PNG image
 * folder, as uint8 x.npy/y.npy and as a float32 .npz give the demo model the same predictions,
 * bit for bit, as the IDX original, and {@code feint eval} the same accuracy.
 */
class DataFormsTest {
    @TempDir static Path dir;
    static Dataset idx;
    static Path folder, npyDir, npz;
    static final Path MODEL = Path.of("..", "demo", "models", "fmnist-lenet.safetensors");

    @BeforeAll static void write() throws IOException {
        idx = Datasets.load(Path.of("..", "demo", "fashion-mnist-1k").toString(), "test");
        int n = idx.size();
        Tensor all = idx.images();
        byte[] u8 = new byte[n * 784];
        for (int i = 0; i < u8.length; i++) u8[i] = (byte) Math.round(all.data()[i] * 255f);
        folder = dir.resolve("folder");
        for (int i = 0; i < n; i++) // folders 0..9 sort as the labels do
            Png.write(folder.resolve(idx.label(i) + "/" + String.format("%04d.png", i)), idx.example(i), 1);
        npyDir = dir.resolve("npy");
        Files.createDirectories(npyDir);
        Files.write(npyDir.resolve("x.npy"), npy("|u1", "(" + n + ", 28, 28)", u8));
        ByteBuffer y = ByteBuffer.allocate(8 * n).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; i++) y.putLong(idx.label(i));
        Files.write(npyDir.resolve("y.npy"), npy("<i8", "(" + n + ",)", y.array()));
        Files.writeString(npyDir.resolve("classes.txt"), String.join("\n", Datasets.FASHION_MNIST_CLASSES));
        Path xf = dir.resolve("xf.npy");
        Npy.write(xf, all);
        npz = dir.resolve("fmnist.npz");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(npz))) {
            z.putNextEntry(new ZipEntry("x.npy"));
            z.write(Files.readAllBytes(xf));
            z.putNextEntry(new ZipEntry("y.npy"));
            z.write(Files.readAllBytes(npyDir.resolve("y.npy")));
        }
    }

    private static byte[] npy(String descr, String shape, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int hlen = (10 + dict.length() + 1 + 63) / 64 * 64 - 10;
        ByteBuffer b = ByteBuffer.allocate(10 + hlen + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) hlen);
        return b.put((dict + " ".repeat(hlen - dict.length() - 1) + "\n").getBytes(StandardCharsets.US_ASCII)).put(data).array();
    }

    private static int[] predictions(Network net, Dataset d) {
        int[] out = new int[d.size()];
        net.eval();
        try (var ng = Grad.noGrad()) {
            for (Batch b : Batches.inOrder(d, 128).epoch(0)) {
                int[] p = Reductions.argmaxLast(net.forward(b.x()));
                for (int i = 0; i < p.length; i++) out[b.indices()[i]] = p[i];
            }
        }
        return out;
    }

    @Test void everyFormGivesTheSamePixelsLabelsAndPredictions() {
        Network net = NetworkFile.load(MODEL).network();
        int[] want = predictions(net, idx);
        for (Path p : List.of(folder, npyDir, npyDir.resolve("x.npy"), npz)) {
            Dataset d = Datasets.load(p.toString(), "test");
            // the folder lists by class, then file: map back to IDX order through the file names' numbering
            int[] order = new int[d.size()];
            if (p.equals(folder)) {
                int k = 0;
                for (int c = 0; c < 10; c++) for (int i = 0; i < idx.size(); i++) if (idx.label(i) == c) order[k++] = i;
            } else {
                for (int i = 0; i < order.length; i++) order[i] = i;
            }
            Dataset ref = idx.subset(order);
            assertArrayEquals(ref.labels(), d.labels(), p.toString());
            assertArrayEquals(ref.images().data(), d.images().data(), "bit for bit: " + p);
            int[] got = predictions(net, d), exp = new int[got.length];
            for (int i = 0; i < got.length; i++) exp[i] = want[order[i]];
            assertArrayEquals(exp, got, p.toString());
        }
    }

    @Test void evalReportsTheSameAccuracyOnEachFormAndRecordsTheData() throws IOException {
        Double first = null;
        for (Path p : List.of(Path.of("..", "demo", "fashion-mnist-1k"), folder, npyDir, npz)) {
            Path json = dir.resolve("eval-" + p.getFileName() + ".json");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            int code = Main.run(new PrintWriter(buf, true), "eval", "--quiet", "--model", MODEL.toString(), "--data", p.toString(), "--json", json.toString());
            assertEquals(0, code, buf.toString());
            Map<?, ?> o = (Map<?, ?>) Json.parse(Files.readString(json));
            double acc = ((Number) o.get("accuracy")).doubleValue();
            if (first == null) first = acc;
            assertEquals(first, acc, p.toString());
            assertEquals(1000, ((Number) ((Map<?, ?>) o.get("dataset")).get("examples")).intValue());
        }
        assertTrue(first > 0.8, "the demo model is about 90% accurate: " + first);
    }

    @Test void attackResultsAreTheSameOnEveryFormBitForBit() throws IOException {
        // feint attack on IDX and on NPY (same order): the same per-example results and adversarial bytes
        byte[] firstNpy = null;
        Object firstExamples = null;
        for (Path p : List.of(Path.of("..", "demo", "fashion-mnist-1k"), npyDir, npz)) {
            Path json = dir.resolve("attack-" + p.getFileName() + ".json"), adv = dir.resolve("adv-" + p.getFileName() + ".npy");
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            assertEquals(0, Main.run(new PrintWriter(buf, true), "attack", "--quiet", "--model", MODEL.toString(), "--data", p.toString(),
                    "--attack", "pgd", "--eps", "0.1", "--steps", "3", "--limit", "64", "--batch", "25",
                    "--out-json", json.toString(), "--out-npy", adv.toString()), buf.toString());
            Object examples = ((Map<?, ?>) Json.parse(Files.readString(json))).get("examples");
            byte[] bytes = Files.readAllBytes(adv);
            if (firstNpy == null) {
                firstNpy = bytes;
                firstExamples = examples;
            }
            assertArrayEquals(firstNpy, bytes, "adversarial bytes: " + p);
            assertEquals(firstExamples, examples, "per-example results: " + p);
        }
        // the folder lists by class: compare with the IDX examples in the folder's order (PGD's random start follows the index)
        Network net = NetworkFile.load(MODEL).network();
        var model = dev.feint.model.NetworkModel.of(net);
        Dataset fromFolder = Datasets.load(folder.toString(), "test");
        int[] order = new int[idx.size()];
        int k = 0;
        for (int c = 0; c < 10; c++) for (int i = 0; i < idx.size(); i++) if (idx.label(i) == c) order[k++] = i;
        Dataset ref = idx.subset(Arrays.copyOf(order, 64)), got = fromFolder.slice(0, 64);
        var pgd = dev.feint.attack.gradient.Pgd.builder().eps(0.1f).steps(3).seed(2).build();
        var a = new dev.feint.eval.AttackRunner(model).batchSize(25).run(pgd, ref);
        var b = new dev.feint.eval.AttackRunner(model).batchSize(25).run(pgd, got);
        assertArrayEquals(a.adversarial().data(), b.adversarial().data(), "folder: adversarial bits");
        assertEquals(a.toJson().get("examples"), b.toJson().get("examples"), "folder: per-example results");
        assertTrue(a.summary().robustAccuracy() < a.summary().cleanAccuracy(), "the attack did something");
    }

    @Test void fitToTheModelIsRecordedAndBadDataExitsTwoNamingTheFile() throws IOException {
        Path json = dir.resolve("fit.json");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        assertEquals(0, Main.run(new PrintWriter(buf, true), "eval", "--quiet", "--model", MODEL.toString(), "--data", npz.toString(),
                "--fit", "--limit", "50", "--json", json.toString()), buf.toString());
        Map<?, ?> pre = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) Json.parse(Files.readString(json))).get("dataset")).get("preprocessing");
        assertEquals(28, ((Number) pre.get("resizeShorterSide")).intValue());
        assertEquals(List.of(28, 28), ((List<?>) pre.get("centreCrop")).stream().map(v -> ((Number) v).intValue()).toList());

        Path bad = dir.resolve("bad");
        Files.createDirectories(bad);
        Files.write(bad.resolve("x.npy"), Files.readAllBytes(npyDir.resolve("x.npy")));
        Files.write(bad.resolve("y.npy"), npy("<i8", "(3,)", new byte[24]));
        buf.reset();
        Path out = dir.resolve("never.json");
        assertEquals(2, Main.run(new PrintWriter(buf, true), "eval", "--model", MODEL.toString(), "--data", bad.toString(), "--json", out.toString()));
        assertTrue(buf.toString().contains(bad.resolve("x.npy") + " has 1000 images but " + bad.resolve("y.npy") + " has 3 labels"), buf.toString());
        assertFalse(buf.toString().contains("\tat "), "no stack trace");
        assertFalse(Files.exists(out), "nothing written");
        buf.reset();
        Path slice = dir.resolve("slice.json");
        assertEquals(0, Main.run(new PrintWriter(buf, true), "eval", "--quiet", "--model", MODEL.toString(), "--data", folder.toString(),
                "--offset", "995", "--limit", "3", "--json", slice.toString()), buf.toString());
        assertEquals(3, ((Number) ((Map<?, ?>) Json.parse(Files.readString(slice))).get("examples")).intValue());
        assertEquals(2, Main.run(new PrintWriter(buf, true), "eval", "--model", MODEL.toString(), "--data", npz.toString(), "--offset", "1000"));
        assertTrue(buf.toString().contains("--offset must be in [0, 1000)"), buf.toString());
        buf.reset();
        assertEquals(2, Main.run(new PrintWriter(buf, true), "eval", "--model", MODEL.toString(), "--data", npz.toString(), "--crop", "3y"));
        assertTrue(buf.toString().contains("--crop must be N or HxW"), buf.toString());
        buf.reset();
        assertEquals(2, Main.run(new PrintWriter(buf, true), "eval", "--model", MODEL.toString(), "--data", npz.toString(), "--channels", "3"));
        assertTrue(buf.toString().contains("does not match the data's [3, 28, 28]") && buf.toString().contains("--fit"), buf.toString());
    }
}
