package dev.threatip.ingest;

import java.util.List;

/**
 * Receives the complete lines of one tailed file, in order, a batch at a time. The same contract
 * holds for the messages of a {@link SyslogReceiver}, called on its delivery thread.
 *
 * <p>Returning normally acknowledges the batch: only then does the tailer advance past it and
 * persist the new position. Throwing anything rejects it: the tailer reports the exception and
 * delivers the same lines again, from the same {@code firstLineNumber}, on a later poll (the retry
 * may carry more lines if the file grew). The call runs on the tailer's thread, so a slow consumer
 * slows the tailer down instead of filling a queue.
 */
@FunctionalInterface
public interface LineBatchConsumer {

    /**
     * @param source the absolute, normalised path of the file the lines come from, or the
     *     {@link SyslogReceiver}'s source name ({@code syslog} by default)
     * @param lines the lines without their terminator ({@code \n}, or {@code \r\n}); never empty;
     *     the arrays are owned by the consumer
     * @param firstLineNumber the 1-based line number of {@code lines.get(0)} in the current file
     *     (it restarts at 1 when the file is rotated or truncated); for syslog, the message's
     *     position among those the receiver has delivered since it started
     */
    void accept(String source, List<byte[]> lines, long firstLineNumber) throws Exception;
}
