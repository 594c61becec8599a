/**
 * The {@code threatip} command line (DESIGN.md §4): {@link dev.threatip.cli.Main} and one class per
 * subcommand. Errors become exit codes in one place, {@code ErrorHandler}.
 */
package dev.threatip.cli;
