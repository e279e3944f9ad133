package dev.feint.cli;

import picocli.CommandLine;

/**
 * Commands added by name so that optional ones can live in their own files (and modules) without
 * Main listing them in its annotation. Missing classes are skipped.
 */
final class Subcommands {
    private static final String[] OPTIONAL = {
            "dev.feint.cli.AttackCommand", "dev.feint.cli.AuditCommand", "dev.feint.cli.TrainAdvSupport", "dev.feint.cli.DemoCommand",
            "dev.feint.cli.ExportCommand", "dev.feint.bench.BenchCommand"};

    private Subcommands() {}

    static void register(CommandLine cl) {
        for (String name : OPTIONAL) {
            try {
                Class<?> c = Class.forName(name);
                if (c.isAnnotationPresent(CommandLine.Command.class)) cl.addSubcommand(c.getDeclaredConstructor().newInstance());
            } catch (ClassNotFoundException e) {
                // Not part of this build.
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot create command " + name, e);
            }
        }
    }
}
