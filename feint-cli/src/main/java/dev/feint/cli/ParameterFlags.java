package dev.feint.cli;

import dev.feint.FeintException;
import picocli.CommandLine;

import java.util.Map;

/**
 * The CLI's side of {@link FeintException#parameter}: the library names its parameters
 * ({@code batchSize must be >= 1, got 0}; {@code ...; allowNonfinite loads it anyway}), the user
 * sees the flags of the command they ran ({@code --batch must be >= 1, got 0};
 * {@code ...; --allow-nonfinite loads it anyway}). A parameter's flag is its name spelt as flags
 * are ({@code stepSize -> --step-size}) unless the table below says otherwise; a parameter the
 * command has no flag for keeps the library's name.
 */
final class ParameterFlags {
    /** Parameters whose flag is not their name: the flag, or the words whose first flag the command must have. */
    private static final Map<String, String> FLAGS = Map.of("batchSize", "--batch", "recipe", "--adv", "format", "--data-format",
            "maxFlops", "--max-gflops", "preprocessing", "--fit, or --resize/--crop/--channels", "strongSteps", "--steps",
            "weakSteps", "--steps", "squareQueries", "--queries");

    private ParameterFlags() {}

    /** {@return the message of {@code e} with the flags of {@code command} in place of its parameters} */
    static String message(FeintException e, CommandLine command) {
        return e.message(p -> {
            String words = FLAGS.getOrDefault(p, AttackFlags.flag(p));
            String flag = words.split("[ ,/]", 2)[0];
            return command != null && command.getCommandSpec().findOption(flag) != null ? words : p;
        });
    }
}
