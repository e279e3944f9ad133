package dev.feint.eval;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's library example, compiled from the README itself and run, so the two cannot
 * drift apart: relative paths are taken from the repository root, the report goes to a
 * temporary folder.
 */
class ReadmeExampleTest {
    @Test void theReadmeEvaluationCompilesRunsAndWritesTheReport(@TempDir Path tmp) throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        Matcher m = Pattern.compile("<!-- readme-example -->\\s*```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has no <!-- readme-example --> java block");
        String body = m.group(1);
        assertTrue(body.lines().count() < 15, "the README example has " + body.lines().count() + " lines, expected under 15");
        String code = body.replace("Path.of(\"robustness-report\")", "out").replace("Path.of(\"", "Path.of(root + \"");
        String source = """
                import dev.feint.attack.*;
                import dev.feint.data.*;
                import dev.feint.eval.*;
                import dev.feint.model.*;
                import java.nio.file.Path;
                public class ReadmeExample {
                    public static Object run(String root, Path out) {
                %s
                        return r;
                    }
                }
                """.formatted(code);
        Path src = tmp.resolve("src/ReadmeExample.java"), classes = tmp.resolve("classes");
        Files.createDirectories(src.getParent());
        Files.createDirectories(classes);
        Files.writeString(src, source);
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        // The tests run on the module path (patched into dev.feint.attacks): the example sees Feint's exports, as a user's code does.
        String modulePath = System.getProperty("jdk.module.path", "");
        int rc = javac.run(null, null, err, "--add-modules", modulePath.isEmpty() ? "jdk.incubator.vector" : "jdk.incubator.vector,ALL-MODULE-PATH",
                "-Xlint:-incubating", "--module-path", modulePath, "-classpath", System.getProperty("java.class.path"), "-d", classes.toString(),
                src.toString());
        assertEquals(0, rc, "the README example does not compile:\n" + err + "\n" + source);
        try (URLClassLoader cl = new URLClassLoader(new URL[] {classes.toUri().toURL()}, getClass().getClassLoader())) {
            Path report = tmp.resolve("report");
            Object r = cl.loadClass("ReadmeExample").getMethod("run", String.class, Path.class).invoke(null, "../", report);
            RobustnessResult result = (RobustnessResult) r;
            assertEquals(100, result.examples());
            assertTrue(result.worstCase() <= result.robustAccuracy("pgd"), result.toString());
            assertTrue(result.robustAccuracy("pgd") < result.cleanAccuracy(), result.toString());
            String page = Files.readString(report.resolve("index.html"));
            assertTrue(page.contains("fmnist-lenet-pgd.safetensors") && page.contains("autoattack"), "the report names the model and attacks");
            assertTrue(Files.exists(report.resolve("report.json")));
        }
    }
}
