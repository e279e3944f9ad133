package dev.feint.cli;

import dev.feint.data.Dataset;
import dev.feint.eval.AttackOutcome;
import dev.feint.eval.AttackRunner;
import dev.feint.model.Model;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

/**
 * An {@code feint attack} command line read again where part of its work runs (a Spark task):
 * the model from a local copy of its file, the same data, attack, batch and targets, so that a
 * part attacks its examples exactly as the whole run does. Reading it has no effect on the
 * process ({@code --threads} is dropped, as in {@link EvalArgs}).
 */
public final class AttackArgs {
    private final AttackCommand cmd = new AttackCommand();

    private AttackArgs(List<String> args) {
        new CommandLine(cmd).parseArgs(EvalArgs.withoutThreads(args).toArray(String[]::new));
    }

    /**
     * Reads the arguments of {@code feint attack} (without the command name).
     *
     * @param args the flags and their values, as the driver was given them
     * @return the command line, read
     */
    public static AttackArgs parse(List<String> args) { return new AttackArgs(args); }

    /**
     * The model, read by {@code Models.load} from {@code file} (a copy of --model with the same name) with the command's model flags.
     *
     * @param file the local copy of the model file
     * @return the model attacks see; free it with {@link dev.feint.model.Models#close} when done (an ONNX Runtime or libtorch session)
     */
    public Model model(Path file) { return LoadedModel.load(file, cmd.onnx).model(); }

    /**
     * The whole attacked dataset (--data, --split, --limit; preprocessed for m), read lazily.
     *
     * @param m the model, whose input shape the data is fitted to
     * @return the dataset of the whole run
     */
    public Dataset data(Model m) { return cmd.dataset(m); }

    /**
     * The attack of the command over {@code slice}, whose examples sit at {@code indices} of the whole dataset.
     *
     * @param m the model
     * @param slice this part's examples
     * @param indices where they sit in the whole dataset (random streams are derived from them)
     * @param progress told of batches done, or null
     * @return the outcome on the slice
     */
    public AttackOutcome run(Model m, Dataset slice, int[] indices, AttackRunner.Listener progress) {
        return cmd.runner(m).progress(progress).run(AttackFlags.create(cmd.attackSpec(), ""), slice, indices);
    }
}
