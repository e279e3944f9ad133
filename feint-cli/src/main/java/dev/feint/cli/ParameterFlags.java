package dev.feint.cli;

import dev.feint.BadParameterException;
import picocli.CommandLine;

import java.util.Map;

/**
 * The CLI's side of {@link BadParameterException}: the library names its parameter
 * ({@code batchSize must be >= 1, got 0}), the user sees the flag of the command they ran
 * ({@code --batch must be >= 1, got 0}). A parameter's flag is its name spelt as flags are
 * ({@code stepSize -> --step-size}) unless the table below says otherwise; a parameter the
 * command has no flag for keeps the library's message.
 */
final class ParameterFlags {
    /** Parameters whose flag is not their name. */
    private static final Map<String, String> FLAGS = Map.of("batchSize", "--batch", "recipe", "--adv");

    private ParameterFlags() {}

    /** {@return the message of {@code e} with the flag of {@code command} in place of the parameter} */
    static String message(BadParameterException e, CommandLine command) {
        String flag = FLAGS.getOrDefault(e.parameter(), AttackFlags.flag(e.parameter()));
        return command != null && command.getCommandSpec().findOption(flag) != null ? flag + " " + e.problem() : e.getMessage();
    }
}
