package dev.feint.cli;

import dev.feint.BadParameterException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The library's parameter names become the flags of the command that ran; a parameter without a flag there keeps its name. */
class ParameterFlagsTest {
    @Test
    void parametersBecomeTheCommandsFlags() {
        CommandLine train = new CommandLine(new TrainCommand());
        assertEquals("--batch must be >= 1, got 0", ParameterFlags.message(new BadParameterException("batchSize", "must be >= 1, got 0"), train));
        assertEquals("--step-size must be > 0, got -1.0",
                ParameterFlags.message(new BadParameterException("stepSize", "must be > 0, got -1.0"), train));
        assertEquals("--adv must be one of pgd, fast, got 'x'",
                ParameterFlags.message(new BadParameterException("recipe", "must be one of pgd, fast, got 'x'"), train));
        assertEquals("models must hold at least two models",
                ParameterFlags.message(new BadParameterException("models", "must hold at least two models"), train), "train has no --models");
        assertEquals("--models must hold at least two models",
                ParameterFlags.message(new BadParameterException("models", "must hold at least two models"), new CommandLine(new TransferCommand())));
    }
}
