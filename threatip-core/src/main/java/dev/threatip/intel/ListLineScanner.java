package dev.threatip.intel;

import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a byte stream into lines without making a String per line: the list readers' common
 * front end. Reads in large chunks and hands each line to a {@link Lines} callback as a range of
 * the chunk buffer, with the line number, the trailing {@code \r} and a leading UTF-8 BOM
 * removed. A line longer than {@link #MAX_LINE} bytes is never buffered whole: its first bytes
 * go to {@link Lines#overlong} and the rest is skipped up to the next newline, so a hostile
 * feed of one endless line costs one buffer, not the file's size.
 */
final class ListLineScanner {
    /** The longest line, in bytes without the line break, that is handed over as a line. */
    static final int MAX_LINE = 4096;

    private static final int CHUNK = 1 << 16;

    /** Receives lines; the byte range is valid only during the call. */
    interface Lines {
        /** One line {@code b[from, to)}, without its line break. */
        void line(byte[] b, int from, int to, long lineNo) throws IOException;

        /** A line longer than {@link #MAX_LINE}; {@code b[from, to)} holds its first bytes. */
        void overlong(byte[] b, int from, int to, long lineNo) throws IOException;
    }

    private ListLineScanner() {
    }

    /**
     * Reads {@code in} to its end.
     *
     * @return the number of lines seen
     */
    static long scan(InputStream in, Lines sink) throws IOException {
        // The buffer holds at most one partial line of MAX_LINE bytes plus a fresh chunk, so a
        // line that fits MAX_LINE always lies whole in it once its newline has been read.
        byte[] buf = new byte[MAX_LINE + 1 + CHUNK];
        int start = 0;
        int end = 0;
        long lineNo = 0;
        boolean first = true;
        boolean skipping = false; // inside an overlong line, discarding bytes up to its newline
        while (true) {
            if (start > 0) {
                System.arraycopy(buf, start, buf, 0, end - start);
                end -= start;
                start = 0;
            }
            int n = in.read(buf, end, buf.length - end);
            if (n < 0) {
                break;
            }
            int scanFrom = end;
            end += n;
            if (first && end >= 3) {
                first = false;
                if (lineNo == 0 && start == 0 && hasBom(buf)) {
                    start = 3;
                }
            }
            for (int i = Math.max(scanFrom, start); i < end; i++) {
                if (buf[i] != '\n') {
                    continue;
                }
                lineNo++;
                if (skipping) {
                    skipping = false;
                } else {
                    deliver(buf, start, i, lineNo, sink);
                }
                start = i + 1;
            }
            if (!skipping && end - start > MAX_LINE + 1) { // + 1: room for a CR before the newline
                lineNo++;
                sink.overlong(buf, start, start + MAX_LINE, lineNo);
                skipping = true;
            }
            if (skipping) {
                start = end; // drop what was read of the overlong line
            }
        }
        if (first && end >= 3 && lineNo == 0 && start == 0 && hasBom(buf)) {
            start = 3;
        }
        if (!skipping && end > start) {
            lineNo++;
            deliver(buf, start, end, lineNo, sink);
        }
        return lineNo;
    }

    private static boolean hasBom(byte[] b) {
        return (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF;
    }

    private static void deliver(byte[] b, int from, int to, long lineNo, Lines sink) throws IOException {
        if (to > from && b[to - 1] == '\r') {
            to--;
        }
        if (to - from > MAX_LINE) {
            sink.overlong(b, from, from + MAX_LINE, lineNo);
        } else {
            sink.line(b, from, to, lineNo);
        }
    }
}
