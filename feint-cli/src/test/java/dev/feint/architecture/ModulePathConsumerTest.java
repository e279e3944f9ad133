package dev.feint.architecture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.lang.module.ModuleFinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's own named module on the module path, as JPMS users build: it {@code requires
 * dev.feint.attacks} only, compiles against the modules' exports, and runs in a fresh JVM
 * ({@code java --module-path ... -m}): it loads a Feint model and an ONNX model (found through
 * the {@code provides} of dev.feint.onnx, which service binding resolves: META-INF/services does
 * not count for named modules), evaluates under FGSM and prints the figures. A second module
 * that imports a package dev.feint.core does not export must not compile.
 */
class ModulePathConsumerTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test void aNamedModuleCompilesAndRunsOnTheModulePath(@TempDir Path tmp) throws Exception {
        String modulePath = modulePath();
        Path src = write(tmp.resolve("src"), "com.example.consumer", """
                module com.example.consumer { requires dev.feint.attacks; }
                """, "Main", """
                package com.example.consumer;
                import dev.feint.attack.Attacks;
                import dev.feint.data.Datasets;
                import dev.feint.eval.Evaluation;
                import dev.feint.eval.RobustnessResult;
                import dev.feint.model.LoadedModel;
                import dev.feint.model.Models;
                import java.nio.file.Path;
                public final class Main {
                    public static void main(String[] args) {
                        LoadedModel model = Models.load(Path.of(args[0]));
                        RobustnessResult r = Evaluation.of(model).on(Datasets.open(Path.of(args[1])), 40)
                                .attack(Attacks.fgsm().eps(0.1)).seed(1).run();
                        System.out.println("clean " + r.cleanAccuracy() + " fgsm " + r.robustAccuracy("fgsm"));
                        LoadedModel onnx = Models.load(Path.of(args[2]));
                        System.out.println("onnx " + onnx.name() + " classes " + onnx.model().numClasses());
                        System.out.println("module " + Models.class.getModule().getName() + ", " + Main.class.getModule().getName());
                    }
                }
                """);
        Path classes = tmp.resolve("mods/com.example.consumer");
        String err = javac(modulePath, classes, src);
        assertEquals("", err, "the consumer module does not compile against the exports");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx1g",
                "--module-path", classes + File.pathSeparator + modulePath, "-m", "com.example.consumer/com.example.consumer.Main",
                ROOT.resolve("demo/models/fmnist-lenet-pgd.safetensors").toString(), ROOT.resolve("demo/fashion-mnist-1k").toString(),
                ROOT.resolve("feint-onnx/src/test/resources/onnx/fashion-cnn-bn-opset13.onnx").toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), out);
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("module dev.feint.attacks, com.example.consumer"), "not run as named modules:\n" + out);
        assertTrue(out.contains("onnx fashion-cnn-bn-opset13.onnx classes 10"), "the ONNX format was not found through provides:\n" + out);
        String figures = out.lines().filter(l -> l.startsWith("clean ")).findFirst().orElseThrow(() -> new AssertionError(out));
        String[] f = figures.split(" ");
        double clean = Double.parseDouble(f[1]), fgsm = Double.parseDouble(f[3]);
        assertTrue(clean > 0.5 && fgsm < clean, figures);
    }

    @Test void aPackageThatIsNotExportedCannotBeUsed(@TempDir Path tmp) throws Exception {
        Path src = write(tmp.resolve("src"), "com.example.sneaky", """
                module com.example.sneaky { requires dev.feint.attacks; }
                """, "Sneaky", """
                package com.example.sneaky;
                public final class Sneaky { Object kernels = dev.feint.tensor.kernels.Gemm.class; }
                """);
        String err = javac(modulePath(), tmp.resolve("mods/sneaky"), src);
        assertNotEquals("", err);
        assertTrue(err.contains("package dev.feint.tensor.kernels is declared in module dev.feint.core, which does not export it"), err);
    }

    /** The Feint modules and their dependencies this test runs on: every entry that is a module (or can be an automatic one). */
    static String modulePath() {
        String raw = System.getProperty("jdk.module.path", "") + File.pathSeparator + System.getProperty("java.class.path", "");
        List<String> modules = new ArrayList<>();
        for (String e : raw.split(File.pathSeparator)) {
            if (e.isEmpty() || e.endsWith("test-classes") || modules.contains(e)) continue;
            Path p = Path.of(e);
            if (!Files.exists(p)) continue;
            try {
                if (!ModuleFinder.of(p).findAll().isEmpty()) modules.add(e);
            } catch (RuntimeException notAModule) {
                // e.g. a jar whose file name gives no valid automatic module name: not needed by Feint's modules
            }
        }
        assertTrue(modules.stream().anyMatch(m -> m.contains("feint-attacks")), "no feint-attacks on " + raw);
        return String.join(File.pathSeparator, modules);
    }

    static Path write(Path src, String module, String descriptor, String type, String code) throws Exception {
        Path pkg = Files.createDirectories(src.resolve(module.replace('.', '/')));
        Files.writeString(src.resolve("module-info.java"), descriptor);
        Files.writeString(pkg.resolve(type + ".java"), code);
        return src;
    }

    /** Compiles the module in {@code src} into {@code out}; returns javac's errors ("" when it compiled). */
    static String javac(String modulePath, Path out, Path src) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("-Xlint:-incubating", "--module-path", modulePath, "-d", out.toString()));
        try (var files = Files.walk(src)) {
            files.filter(f -> f.toString().endsWith(".java")).forEach(f -> args.add(f.toString()));
        }
        int rc = javac.run(null, null, err, args.toArray(String[]::new));
        return rc == 0 ? "" : err.toString().isEmpty() ? "javac exit " + rc : err.toString();
    }
}
