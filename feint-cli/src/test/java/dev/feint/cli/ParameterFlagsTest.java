package dev.feint.cli;

import dev.feint.BadParameterException;
import dev.feint.FeintException;
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

    @Test
    void aHintsSecondParameterBecomesItsFlagToo() {
        CommandLine eval = new CommandLine(new EvalCommand()), train = new CommandLine(new TrainCommand());
        var journal = new BadParameterException("journal", "d: holds the journal of another run; add " + FeintException.parameter("resume")
                + " to continue it");
        assertEquals("--journal d: holds the journal of another run; add --resume to continue it", ParameterFlags.message(journal, eval));
        var file = new FeintException("x.npy: cannot tell the data format (or say it with " + FeintException.parameter("format")
                + "); resize with " + FeintException.parameter("preprocessing"));
        assertEquals("x.npy: cannot tell the data format (or say it with --data-format); resize with --fit, or --resize/--crop/--channels",
                ParameterFlags.message(file, eval));
        var plan = new FeintException("net: too many FLOPs (raise the limit with " + FeintException.parameter("maxFlops") + ")");
        assertEquals("net: too many FLOPs (raise the limit with --max-gflops)", ParameterFlags.message(plan, new CommandLine(new InfoCommand())));
        assertEquals("journal d: holds the journal of another run; add --resume to continue it", ParameterFlags.message(journal, train),
                "train has --resume, not --journal: each parameter on its own");
        assertEquals(journal.getMessage(), ParameterFlags.message(journal, new CommandLine(new ExportCommand())), "export has neither");
        assertEquals("audit: --queries must be >= 1, got 0", ParameterFlags.message(
                new FeintException("audit: " + FeintException.parameter("squareQueries") + " must be >= 1, got 0"), new CommandLine(new AuditCommand())));
    }
}
