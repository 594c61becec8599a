package dev.threatip.web;

import java.util.List;

/**
 * Where {@code POST /api/v1/ingest} hands the lines of one request: the {@code serve} ingest
 * pipeline. Called on the HTTP worker thread; it should queue or process the batch and return
 * quickly, or refuse it with {@link IngestBusyException} when it cannot take more now.
 */
public interface IngestHandler {
    /**
     * Takes one request's lines, in body order.
     *
     * @param source the input name the lines are stored under ({@code ?source=}, default {@code http})
     * @param json   true when every line is a JSON access-log record (NDJSON without {@code log} or
     *               {@code message}); false for raw log lines
     * @param lines  the lines as UTF-8 bytes, without line terminators, none empty
     * @return how many lines were accepted (parsed or queued); the rest were counted as bad lines
     * @throws IngestBusyException when the pipeline is full: nothing of the batch was taken
     */
    int ingest(String source, boolean json, List<byte[]> lines) throws IngestBusyException;
}
