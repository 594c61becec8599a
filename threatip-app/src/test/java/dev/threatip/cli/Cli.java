package dev.threatip.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the threatip command in-process and captures what it prints. */
final class Cli {
    record Run(int exit, String out, String err) {
    }

    private Cli() {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.newCommandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(exit, out.toString(), err.toString());
    }
}
