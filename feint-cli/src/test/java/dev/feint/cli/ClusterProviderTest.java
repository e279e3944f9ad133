package dev.feint.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The command lines a Spark job sends to its tasks and records in its folder. */
class ClusterProviderTest {
    private static CommandLine.ParseResult parse(String... args) { return new CommandLine(new EvalCommand()).parseArgs(args); }

    private static String abs(String p) { return Path.of(p).toAbsolutePath().normalize().toString(); }

    @Test
    void tasksGetAbsolutePathsForWhatExistsAndEverythingElseAsGiven() {
        String model = "../demo/models/fmnist-lenet.safetensors", data = "../demo/fashion-mnist-1k";
        var parsed = parse("--model", model, "--data", data, "--attacks", "pgd", "--eps", "0.1,0.2", "--json=out.json",
                "--classes=" + data + "/classes.txt", "--threads", "2");
        assertEquals(List.of("--model", abs(model), "--data", abs(data), "--attacks", "pgd", "--eps", "0.1,0.2", "--json=out.json",
                "--classes=" + abs(data + "/classes.txt"), "--threads", "2"), ClusterProvider.taskArgs(parsed, "eval"),
                "an executor runs in a folder of its own: existing paths absolute, a new output and other values unchanged");
        assertEquals(List.of("--data", "fashion-mnist"), ClusterProvider.taskArgs(parse("--model", "m.safetensors", "--data",
                "fashion-mnist"), "eval").subList(2, 4), "a dataset name is not a path");
    }

    @Test
    void theRecordedFlagsAreThoseThatDecideTheResults() {
        var parsed = parse("--model", "m.safetensors", "--data", "d", "--attacks", "pgd", "--eps", "0.1", "--steps", "7", "--threads", "2",
                "--quiet", "--json", "x.json", "--spark", "local[2]", "--partitions", "3", "--journal", "j", "--resume");
        assertEquals(List.of("--data", "d", "--attacks", "pgd", "--eps", "0.1", "--steps", "7"), ClusterProvider.resultFlags(parsed));
    }
}
