package dev.feint.cli;

import dev.feint.FeintException;
import dev.feint.data.Dataset;
import dev.feint.io.internal.AtomicFiles;
import dev.feint.io.Json;
import dev.feint.nn.Architecture;
import dev.feint.nn.Network;
import dev.feint.nn.NetworkFile;
import dev.feint.onnx.OnnxExport;
import dev.feint.onnx.OnnxTraining;
import dev.feint.onnx.OnnxWeightsFile;
import dev.feint.train.Accuracy;
import dev.feint.train.EpochStats;
import dev.feint.train.TrainConfig;
import dev.feint.train.Trainer;
import dev.feint.train.TrainingListener;
import dev.feint.train.TrainingObjective;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code feint train}: trains a network (naturally or adversarially) and saves it as safetensors; with
 * {@code --init model.onnx} it fine-tunes an imported ONNX model instead, saved as safetensors and
 * (with {@code --onnx}) as ONNX.
 */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a classifier on an image dataset (or fine-tune an ONNX one) and save it as safetensors.")
final class TrainCommand implements Callable<Integer> {
    @Mixin GlobalOptions global;
    @Mixin TrainingOptions training;

    @Option(names = "--arch", description = "Preset (softmax-regression, mlp, lenet, madry-cnn, maxout, cnn-bn, resnet-mini, preact-resnet18) or a JSON spec file.")
    String arch;

    @Option(names = "--init", description = "Fine-tune this ONNX model (.onnx) instead of a new --arch: its Conv/Gemm weights "
            + "and BatchNormalization train; the preprocessing flags below describe its input.")
    Path init;

    @Mixin OnnxOptions onnx;

    @Mixin DataOptions data;

    @Option(names = "--out", required = true, description = "Output weights (.safetensors).")
    Path out;

    @Option(names = "--onnx", description = "Also write the trained model as ONNX (opset of --init's file, or 13 for --arch).")
    Path onnxOut;

    @Option(names = "--log", description = "Per-epoch figures as JSON lines.")
    Path log;

    @Option(names = "--checkpoint", description = "Checkpoint written after every epoch (default: <out>.ckpt.safetensors).")
    Path checkpoint;

    @Option(names = "--resume", description = "Continue from the checkpoint of an interrupted run with the same flags.")
    boolean resume;

    @Option(names = "--limit", description = "Use only the first N training images (quick runs).")
    Integer limit;

    @Option(names = "--test-limit", description = "Evaluate on only the first N test images.")
    Integer testLimit;

    @Override public Integer call() {
        TrainConfig cfg = training.config();
        dev.feint.data.Augmentation aug = training.augmentation();
        if (!out.getFileName().toString().endsWith(".safetensors"))
            throw new FeintException("--out must end in .safetensors, got " + out);
        Path ckptTarget = checkpoint != null ? checkpoint
                : out.resolveSibling(out.getFileName().toString().replace(".safetensors", ".ckpt.safetensors"));
        // Before the first epoch, not after it: every file this run will write must be writable.
        for (Path p : new Path[] {out, log, ckptTarget, onnxOut}) dev.feint.io.internal.Outputs.checkFile(p);
        if ((arch == null) == (init == null))
            throw new FeintException("give --arch (train a new network) or --init model.onnx (fine-tune an imported one), not "
                    + (arch == null ? "neither" : "both"));
        if (init != null && !onnx.mapped("--init", init, () -> dev.feint.model.Models.format(init)).equals("onnx")) throw new FeintException("--init must be an ONNX model (.onnx), got " + init);
        if (arch != null) onnx.checkUnused("ONNX models (--init model.onnx)", "--arch " + arch + " trains on the data's own range");
        OnnxTraining imported = init == null ? null : OnnxTraining.load(init, onnx.preprocessing(), onnx.classNames());
        Network net = imported == null ? null : imported.network();
        Dataset train, test;
        if (net != null) {
            int[] in = net.architecture().input();
            train = data.load("train", in, net.architecture().numClasses(), init.toString());
            test = data.load("test", in, net.architecture().numClasses(), init.toString());
        } else {
            train = data.load("train");
            test = data.load("test");
            if (train.numClasses() < 2)
                throw new FeintException("--data " + data.data + ": " + train.numClasses() + " class (" + String.join(", ", train.classNames())
                        + ") in " + train.source().origin() + "; training needs at least 2 (one folder, or label, per class)");
        }
        if (limit != null) train = train.slice(0, checkLimit("--limit", limit, train.size()));
        if (testLimit != null) test = test.slice(0, checkLimit("--test-limit", testLimit, test.size()));
        if (net == null) {
            Architecture a = ArchitectureOption.resolve(arch, train.exampleShape(), train.numClasses());
            float[][] norm = Normalisation.of(train);
            net = new Network(a, a.build(cfg.seed()), norm[0], norm[1]);
        }
        Architecture a = net.architecture();
        if (onnxOut != null && imported == null) OnnxExport.toBytes(net);   // before training: an --arch ONNX cannot express fails now
        TrainingObjective objective = training.objective(net);
        System.out.printf("Training %s (%,d parameters) on %s: %,d images, %d epochs, batch %d, %s, recipe %s%s, %d threads%n",
                a.name(), net.body().parameterCount(), train.name(), train.size(), cfg.epochs(), cfg.batchSize(),
                cfg.optimizer(), objective.name(), aug.isIdentity() ? "" : ", augment " + aug, dev.feint.tensor.Parallel.threads());
        List<String> logLines = new ArrayList<>();
        Path ckpt = checkpoint != null ? checkpoint
                : out.resolveSibling(out.getFileName().toString().replace(".safetensors", ".ckpt.safetensors"));
        String what = arch != null ? arch : "init " + init.toAbsolutePath().normalize() + "|" + imported.preprocessing();
        String fingerprint = dev.feint.train.Checkpoint.fingerprint(what + "|" + data.fingerprint() + "|" + limit
                + (aug.isIdentity() ? "" : "|augment " + aug), cfg, objective);
        long t0 = System.nanoTime();
        Trainer trainer = new Trainer(cfg, objective).augment(aug).epochHook(training.epochHook(test)).listener(new TrainingListener() {
            Progress bar;

            @Override public void onBatch(int epoch, int b, int n, double loss, double acc, double ips) {
                if (b == 1) bar = new Progress("epoch " + (epoch + 1) + "/" + cfg.epochs(), n);
                bar.update(b, String.format("loss %.4f acc %.2f%%", loss, 100 * acc));
            }

            @Override public void onEpoch(EpochStats s) {
                System.out.printf("epoch %d: loss %.4f, train acc %.2f%%, test acc %.2f%%%s, %.1f s (%.0f images/s)%n",
                        s.epoch(), s.trainLoss(), 100 * s.trainAccuracy(), 100 * s.heldOutAccuracy(),
                        Double.isNaN(s.heldOutAdvAccuracy()) ? "" : String.format(", adversarial acc %.2f%%", 100 * s.heldOutAdvAccuracy()),
                        s.seconds(), s.imagesPerSecond());
                logLines.add(Json.write(s.toMap()));
                if (log != null) AtomicFiles.writeString(log, String.join("\n", logLines) + "\n");
            }
        });
        trainer.onEpochEnd((done, n, opt) -> dev.feint.train.Checkpoint.save(ckpt, n, opt, done, fingerprint));
        var opt = trainer.optimizerFor(net);
        int start = 0;
        if (resume) {
            try {
                start = dev.feint.train.Checkpoint.restore(ckpt, net, opt, fingerprint);
            } catch (FeintException e) {
                throw FeintException.within("--resume: ", e);
            }
            System.out.printf("resuming after epoch %d from %s%n", start, ckpt);
            if (log != null && java.nio.file.Files.isRegularFile(log)) {
                try {
                    List<String> old = java.nio.file.Files.readAllLines(log);
                    logLines.addAll(old.subList(0, Math.min(start, old.size())));
                } catch (java.io.IOException e) {
                    throw new FeintException("--log: cannot read " + log + ": " + e.getMessage());
                }
            }
        }
        trainer.fit(net, train, test, opt, start);
        double secs = (System.nanoTime() - t0) / 1e9;
        double acc = Accuracy.of(net, test, 256);
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("dataset", train.name());
        meta.put("seed", Long.toString(cfg.seed()));
        Map<String, Object> recipe = new LinkedHashMap<>();
        recipe.put("name", objective.name());
        recipe.putAll(objective.params());
        meta.put("recipe", Json.write(recipe));
        meta.put("training", Json.write(cfg.toMap()));
        if (!aug.isIdentity()) meta.put("augmentation", aug.toString());
        meta.put("testAccuracy", String.format("%.4f", acc));
        meta.put("trainSeconds", String.format("%.1f", secs));
        meta.put("feintVersion", Version.get());
        meta.put("created", Instant.now().toString());
        if (imported != null) meta.put("source", init.getFileName().toString());
        byte[] onnxBytes = null;
        if (onnxOut != null) {
            Map<String, String> props = new LinkedHashMap<>();
            meta.forEach((k, v) -> props.put("feint." + k, v));
            onnxBytes = imported != null ? imported.toOnnx(props) : OnnxExport.toBytes(net);
        }
        if (imported == null) NetworkFile.save(out, net, train.classNames(), meta);
        else OnnxWeightsFile.save(out, imported, meta);
        if (onnxBytes != null) AtomicFiles.writeBytes(onnxOut, onnxBytes);
        System.out.printf("test accuracy %.2f%% (%,d images); trained in %.1f s; saved %s%s%n", 100 * acc, test.size(), secs, out,
                onnxOut == null ? "" : " and " + onnxOut);
        return 0;
    }

    /** A --limit's value: at most max examples; 0 means all of them. */
    static int checkLimit(String flag, int v, int max) {
        if (v == 0) return max;
        if (v < 1) throw new FeintException(flag + " must be >= 0 (0: all), got " + v);
        return Math.min(v, max);
    }
}
