package dev.feint.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;

/** A command line run in-process: its exit code and what it printed on stderr (trimmed). */
record CliRun(int code, String err) {
    static CliRun of(String... args) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintWriter err = new PrintWriter(buf, true);
        int code = Main.run(err, args);
        err.flush();
        return new CliRun(code, buf.toString().strip());
    }
}
