package dev.threatip.cli;

import dev.threatip.intel.FeedFormatException;
import dev.threatip.intel.InvalidCatalogException;
import dev.threatip.intel.InvalidSnapshotException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * Turns what goes wrong into DESIGN.md's exit codes and one line on stderr,
 * {@code threatip: <what>}: the operator needs the file, line and problem, not a stack trace
 * (that comes with {@code --verbose}).
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler, CommandLine.IParameterExceptionHandler {

    @Override
    public int handleParseException(CommandLine.ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        err.println("threatip: " + ex.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
        if (verbose(cmd)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return Main.EXIT_USAGE;
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        String message = userMessage(ex);
        int code = Main.EXIT_USAGE;
        if (message == null) {
            message = "internal error: " + ex + (verbose(cmd) ? "" : " (rerun with --verbose for details)");
            code = Main.EXIT_INTERNAL;
        }
        err.println("threatip: " + message);
        if (verbose(cmd)) {
            ex.printStackTrace(err);
        }
        err.flush();
        return code;
    }

    /** The one-line message of an expected failure (bad input), or null for a bug. */
    static String userMessage(Throwable ex) {
        if (ex instanceof UncheckedIOException u) {
            return ioMessage(u.getCause(), u.getMessage());
        }
        if (ex instanceof IOException io) {
            return ioMessage(io, io.getMessage());
        }
        if (ex instanceof FeedFormatException || ex instanceof InvalidSnapshotException
                || ex instanceof InvalidCatalogException || ex instanceof IllegalArgumentException
                || ex instanceof InputException || ex instanceof dev.threatip.policy.InvalidPolicyException) {
            return ex.getMessage();
        }
        return null;
    }

    private static String ioMessage(IOException io, String fallback) {
        if (io instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file";
        }
        if (io instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        if (io instanceof FileSystemException f && f.getFile() != null) {
            return f.getFile() + ": " + (f.getReason() != null ? f.getReason() : f.getClass().getSimpleName());
        }
        return fallback != null ? fallback : String.valueOf(io);
    }

    private static boolean verbose(CommandLine cmd) {
        CommandLine root = cmd;
        while (root.getParent() != null) {
            root = root.getParent();
        }
        return root.getCommand() instanceof Main m && m.verbose;
    }
}
