package dev.feint.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM the bench starts ({@link BackgroundLoad}, {@link PeerProcess}):
 * this JVM's {@code java}, the given options, and this JVM's class path, with its module path too
 * when the bench runs as a module (its tests do).
 */
final class ChildJvm {
    private ChildJvm() {}

    static List<String> command(List<String> javaOptions, String mainClass, String... args) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("jdk.module.path", "") + File.pathSeparator + System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        cmd.addAll(javaOptions);
        cmd.addAll(List.of("-cp", cp, mainClass));
        cmd.addAll(List.of(args));
        return cmd;
    }
}
