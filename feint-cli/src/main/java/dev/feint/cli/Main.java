package dev.feint.cli;

import dev.feint.FeintException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code feint} command. Exit codes: 0 success, 2 user error (one clear message; running out
 * of memory is one too, since the input's size is what decides it: the message names the input
 * files and the flags that shrink the work), 1 internal error (with a hint to rerun with --debug
 * for the stack trace), 3 a failed check of {@code feint audit --strict}.
 */
@Command(name = "feint", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Adversarial robustness for the JVM: train, attack, defend and measure neural networks.",
        subcommands = {TrainCommand.class, EvalCommand.class, TransferCommand.class, ExplainLinearCommand.class, InfoCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    private Main() {}

    /**
     * Runs the command line and exits with its code.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        System.exit(run(args));
    }

    /**
     * Runs the command line and returns the exit code (for tests).
     *
     * @param args the command line
     * @return the exit code: 0, 1 (internal error), 2 (user error) or 3 (a failed strict audit)
     */
    public static int run(String... args) {
        return run(new PrintWriter(System.err, true), args);
    }

    /**
     * Runs with the given error stream (tests read the messages from it).
     *
     * @param err where messages go
     * @param args the command line
     * @return the exit code, as {@link #run(String...)}
     */
    public static int run(PrintWriter err, String... args) {
        CommandLine cl = commandLine();
        cl.setErr(err);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) {
            err.println(outOfMemory(args, Runtime.getRuntime().maxMemory()));
            err.flush();
            return 2;
        }
    }

    /** The flags whose values are inputs (files, or names of datasets), named when the heap runs out. */
    private static final java.util.Set<String> INPUT_FLAGS = java.util.Set.of(
            "--model", "--models", "--surrogate", "--data", "--arch", "--classes", "--model-classes", "--adv");

    /** The message for running out of memory: the inputs of the command line, the heap, and what to try. */
    static String outOfMemory(String[] args, long maxHeap) {
        java.util.List<String> inputs = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            int eq = a.indexOf('=');
            if (eq > 0 && INPUT_FLAGS.contains(a.substring(0, eq))) inputs.add(a.substring(0, eq) + " " + a.substring(eq + 1));
            else if (INPUT_FLAGS.contains(a) && i + 1 < args.length) inputs.add(a + " " + args[++i]);
        }
        return "feint: out of memory" + (inputs.isEmpty() ? "" : " on the input " + String.join(", ", inputs))
                + " (the heap is " + maxHeap / (1 << 20) + " MiB; expected inputs that fit it): "
                + "try a smaller --batch or --limit, or raise the heap with FEINT_HEAP";
    }

    /** {@return the command with every subcommand registered and the error handlers that turn exceptions into exit codes} */
    public static CommandLine commandLine() {
        GlobalOptions.reset();
        CommandLine cl = new CommandLine(new Main());
        Subcommands.register(cl);
        // Each attack's parameters with defaults, from the registry (the one place that lists them).
        String attacks = "%nAttacks (parameters and defaults; library names, flags spell them --step-size):%n"
                + dev.feint.attack.AttackRegistry.help().replace("%", "%%").replace("\n", "%n");
        for (String c : new String[] {"attack", "eval"})
            if (cl.getSubcommands().containsKey(c)) cl.getSubcommands().get(c).getCommandSpec().usageMessage().footer(attacks);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            Throwable cause = ex;
            while (!(cause instanceof FeintException) && cause.getCause() != null && cause.getCause() != cause)
                cause = cause.getCause();
            if (cause instanceof FeintException fe) {
                err.println("feint: " + (fe instanceof dev.feint.BadParameterException bp ? ParameterFlags.message(bp, cmd) : fe.getMessage()));
                if (GlobalOptions.debug) fe.printStackTrace(err);
                err.flush();
                return 2;
            }
            for (Throwable t = ex; t != null; t = t.getCause() == t ? null : t.getCause())
                if (t instanceof OutOfMemoryError) { // thrown on a worker thread and wrapped
                    err.println(outOfMemory(parsed.originalArgs().toArray(String[]::new), Runtime.getRuntime().maxMemory()));
                    err.flush();
                    return 2;
                }
            err.println("feint: internal error: " + ex);
            if (GlobalOptions.debug) ex.printStackTrace(err);
            else err.println("rerun with --debug for the stack trace");
            err.flush();
            return 1;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            // A flag's setter that refuses its value throws FeintException; picocli wraps it in
            // "Could not invoke ...": the user should see only our message.
            Throwable cause = ex;
            while (!(cause instanceof FeintException) && cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
            err.println("feint: " + (cause instanceof FeintException fe ? fe.getMessage() : ex.getMessage()));
            err.println("see 'feint " + (ex.getCommandLine().getCommandName().equals("feint") ? "" : ex.getCommandLine().getCommandName() + " ") + "--help'");
            err.flush();
            return 2;
        });
        return cl;
    }

    /** Prints the usage (the command without a subcommand). */
    @Override public void run() {
        new CommandLine(this).usage(System.out);
    }
}
