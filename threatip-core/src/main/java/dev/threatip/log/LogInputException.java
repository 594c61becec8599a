package dev.threatip.log;

import java.io.IOException;

/**
 * A log input named on the command line cannot be read: a missing file, a glob that matches
 * nothing, a directory without log files. The message names the input and the problem, e.g.
 * {@code no such file: /var/log/nginx/acess.log}, ready for one line on stderr.
 */
public final class LogInputException extends IOException {
    private final String input;

    public LogInputException(String input, String problem) {
        super(problem + ": " + input);
        this.input = input;
    }

    /** The input as the user wrote it. */
    public String input() {
        return input;
    }
}
