package dev.threatip.log;

/**
 * One access-log format: a name and a factory of parsers. Formats are registered explicitly in
 * {@link LogFormats}; a format compiled from a user's nginx {@code log_format} or Apache
 * {@code LogFormat} string is a LogFormat too.
 */
public interface LogFormat {
    /** The name used on the command line and in reports, e.g. {@code combined}, {@code aws-alb}. */
    String name();

    /** A fresh parser, for one thread reading one file. */
    LineParser newParser();
}
