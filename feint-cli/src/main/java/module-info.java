/**
 * The {@code feint} command (picocli): evaluate, attack, train, audit, export and report.
 * Not a library API: nothing is exported; picocli reads the command classes reflectively.
 */
module dev.feint.cli {
    requires dev.feint.onnx;
    requires info.picocli;

    opens dev.feint.cli to info.picocli;

    uses dev.feint.cli.ClusterProvider;
}
