package dev.threatip.log;

import java.io.IOException;

/**
 * Cuts a byte stream into blocks of whole lines. A partial last line is carried over to the next
 * block; a line that cannot fit a block (or whose unread part alone exceeds the line limit) is
 * skipped without being buffered, and reported as one {@link #OVERSIZE} line, so a 10 MB line
 * costs one block of memory, not ten megabytes. One instance per thread.
 */
final class BlockCutter {
    /** {@link #next} at the end of the input. */
    static final int END = -1;
    /** {@link #next}: one line too long to buffer was skipped; its start is in {@link #excerpt()}. */
    static final int OVERSIZE = -2;
    /** How many bytes of a skipped line are kept for the report. */
    static final int EXCERPT_BYTES = 120;

    /** Where the bytes come from: {@link java.io.InputStream#read(byte[], int, int)} semantics, never 0 for a non-empty read. */
    interface Source {
        int read(byte[] b, int off, int len) throws IOException;
    }

    private final int maxLineBytes;
    private final byte[] carry;
    private final byte[] excerpt = new byte[EXCERPT_BYTES];
    private int excerptLength;
    private int carryLength;
    private Source source;
    private boolean eof;
    private boolean skipping;
    private boolean pendingOversize;
    private IOException failure;

    BlockCutter(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
        this.carry = new byte[maxLineBytes];
    }

    /** The smallest block {@link #next} accepts: room for a carried line and a read beside it. */
    static int minBlockBytes(int maxLineBytes) {
        return 2 * maxLineBytes + 4096;
    }

    /** Starts on a new input. */
    void reset(Source s) {
        source = s;
        eof = false;
        skipping = false;
        pendingOversize = false;
        carryLength = 0;
        failure = null;
    }

    /**
     * Why the input ended early (a truncated or corrupt gzip, a read error), or null. The lines
     * completed before the failure are returned; the cut-off line after them is dropped.
     */
    IOException failure() {
        return failure;
    }

    /**
     * Fills {@code block} with whole lines.
     *
     * @return the end of the lines in {@code block} (the last one may lack its {@code '\n'} at the
     *         end of the input), {@link #OVERSIZE} when the next line was skipped as too long (it
     *         comes after every line returned before), or {@link #END}
     */
    int next(byte[] block) {
        if (pendingOversize) {
            pendingOversize = false;
            return OVERSIZE;
        }
        int length;
        if (skipping) {
            skipping = false;
            length = skipLine(block);
            if (length < 0) {
                return END;
            }
        } else {
            System.arraycopy(carry, 0, block, 0, carryLength);
            length = carryLength;
            carryLength = 0;
        }
        while (length < block.length && !eof) {
            int n = read(block, length, block.length - length);
            if (n < 0) {
                eof = true;
            } else {
                length += n;
            }
        }
        if (length == 0) {
            return END;
        }
        int last = Lines.lastIndexOfNewline(block, 0, length);
        if (last < 0) {
            if (eof) {
                return failure != null ? END : length; // one final line without a terminator
            }
            keepExcerpt(block, 0, length);
            skipping = true;
            return OVERSIZE;
        }
        int end = last + 1;
        int rest = length - end;
        if (rest == 0) {
            return end;
        }
        if (eof) {
            return failure != null ? end : length;
        }
        if (rest > maxLineBytes) {
            keepExcerpt(block, end, length);
            skipping = true;
            pendingOversize = true;
            return end;
        }
        System.arraycopy(block, end, carry, 0, rest);
        carryLength = rest;
        return end;
    }

    /** The first bytes of the last line reported as {@link #OVERSIZE}. */
    byte[] excerpt() {
        return excerpt;
    }

    int excerptLength() {
        return excerptLength;
    }

    private void keepExcerpt(byte[] b, int from, int to) {
        excerptLength = Math.min(EXCERPT_BYTES, to - from);
        System.arraycopy(b, from, excerpt, 0, excerptLength);
    }

    private int read(byte[] b, int off, int len) {
        try {
            return source.read(b, off, len);
        } catch (IOException e) {
            failure = e;
            return -1;
        }
    }

    /** Reads past the next newline; moves what follows it to the block's start and returns its length, or -1 at the end. */
    private int skipLine(byte[] block) {
        while (true) {
            int n = read(block, 0, block.length);
            if (n < 0) {
                eof = true;
                return -1;
            }
            int nl = Lines.indexOfNewline(block, 0, n);
            if (nl >= 0) {
                int rest = n - nl - 1;
                System.arraycopy(block, nl + 1, block, 0, rest);
                return rest;
            }
        }
    }
}
