package dev.threatip.log;

/**
 * Where a line is: the input's name and the 1-based line number.
 *
 * @param file the input's name as reports show it
 * @param line the line number, from 1
 */
public record LinePosition(String file, long line) {
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
