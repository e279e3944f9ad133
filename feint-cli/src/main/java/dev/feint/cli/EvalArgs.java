package dev.feint.cli;

import dev.feint.attack.AttackRegistry;
import dev.feint.attack.AttackSpec;
import dev.feint.data.Dataset;
import dev.feint.eval.RobustnessEvaluation;
import dev.feint.model.Model;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An {@code feint eval} command line read again where part of its work runs (a Spark task):
 * the model from a local copy of its file, the same data and the evaluation with the same radii,
 * batch and targets, so that a part computes exactly what the whole run computes for its
 * examples. Reading it has no effect on the process ({@code --threads} is the driver's and is
 * dropped: a task sizes the engine to its own cores).
 */
public final class EvalArgs {
    private final EvalCommand cmd = new EvalCommand();

    private EvalArgs(List<String> args) {
        new CommandLine(cmd).parseArgs(withoutThreads(args).toArray(String[]::new));
    }

    /**
     * Reads the arguments of {@code feint eval} (without the command name).
     *
     * @param args the flags and their values, as the driver was given them
     * @return the command line, read
     */
    public static EvalArgs parse(List<String> args) { return new EvalArgs(args); }

    /** {@return the --model file as given on the command line} */
    public Path modelPath() { return cmd.model.path; }

    /**
     * The model, read by {@code Models.load} from {@code file} (a copy of --model with the same name) with the command's model flags.
     *
     * @param file the local copy of the model file
     * @return the model attacks see; free it with {@link dev.feint.model.Models#close} when done (an ONNX Runtime or libtorch session)
     */
    public Model model(Path file) { return LoadedModel.load(file, cmd.onnx).model(); }

    /**
     * The whole evaluated dataset (--data, --split, --offset, --limit; preprocessed for m), read lazily.
     *
     * @param m the model, whose input shape the data is fitted to
     * @return the dataset of the whole run
     */
    public Dataset data(Model m) { return cmd.dataset(m); }

    /**
     * The evaluation of the attacks built from {@code specs} on {@code d}, with the command's radii, batch and targets.
     *
     * @param m the model
     * @param d the examples of this part
     * @param specs the attacks, as the driver sent them
     * @return the evaluation's builder, ready to run
     */
    public RobustnessEvaluation.Builder evaluation(Model m, Dataset d, List<AttackSpec> specs) {
        List<dev.feint.attack.Attack> list = new ArrayList<>();
        for (AttackSpec s : specs) list.add(AttackRegistry.create(s));
        return cmd.robustness.evaluation(m, d, list);
    }

    /** The arguments without --threads (a task sizes the engine to its own cores). */
    static List<String> withoutThreads(List<String> args) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--threads")) i++;
            else if (!a.startsWith("--threads=")) out.add(a);
        }
        return out;
    }
}
