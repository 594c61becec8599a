package dev.threatip.log;

/**
 * Resolves the opaque line references handed to {@link EventSink}s into file and line. A
 * reference is {@code chunk << 32 | line within chunk}; chunks are numbered in input order and
 * within an input in byte order, so references also sort in reading order. A worker cannot know
 * where its chunk starts in line numbers until the chunks before it are counted, so the first
 * line of each chunk is a prefix sum computed once after the read.
 */
public final class LinePositions {
    private final String[] fileNames;
    private final int[] fileOfChunk;
    private final long[] firstLineOfChunk;

    LinePositions(String[] fileNames, int[] fileOfChunk, long[] firstLineOfChunk) {
        this.fileNames = fileNames;
        this.fileOfChunk = fileOfChunk;
        this.firstLineOfChunk = firstLineOfChunk;
    }

    /**
     * The file and 1-based line number of a reference.
     *
     * @throws IllegalArgumentException when the reference is not one of this read
     */
    public LinePosition position(long lineRef) {
        long chunk = lineRef >>> 32;
        if (chunk >= fileOfChunk.length) {
            throw new IllegalArgumentException("line reference " + Long.toHexString(lineRef) + " is not from this read");
        }
        int c = (int) chunk;
        return new LinePosition(fileNames[fileOfChunk[c]], firstLineOfChunk[c] + (lineRef & 0xFFFF_FFFFL) + 1);
    }

    /** The index, in the read's input list, of the input a reference points into. */
    public int inputIndex(long lineRef) {
        return fileOfChunk[(int) (lineRef >>> 32)];
    }
}
