package dev.threatip.log;

import java.util.List;

/**
 * Chooses the format of each input from its first lines: {@code --format auto} detects per
 * file, a named format is a selector that ignores the lines. Called once per input, before its
 * lines are read, from one thread at a time.
 */
@FunctionalInterface
public interface FormatSelector {
    /** How many first lines a selector is shown at most. */
    int SAMPLE_LINES = 50;

    /**
     * @param input      the input
     * @param firstLines up to {@link #SAMPLE_LINES} first lines, decoded as UTF-8, without terminators
     * @return the choice; {@link FormatChoice#none} to skip the input as unreadable
     */
    FormatChoice select(LogInput input, List<String> firstLines);

    /** Always {@code format}, reason "given". */
    static FormatSelector fixed(LogFormat format) {
        FormatChoice choice = new FormatChoice(format, "given");
        return (input, lines) -> choice;
    }
}
