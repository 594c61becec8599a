package dev.threatip.serve;

import dev.threatip.ingest.IngestPipeline;
import dev.threatip.ingest.PipelineBusyException;
import dev.threatip.log.FormatSelector;
import dev.threatip.log.LogFormats;
import dev.threatip.web.IngestBusyException;
import dev.threatip.web.IngestHandler;
import java.time.Duration;
import java.util.List;

/**
 * {@code POST /api/v1/ingest} into the pipeline. Raw lines are one input named by
 * {@code ?source=} (default {@code http}) whose format is detected like a file's; JSON records
 * are a separate input, {@code SOURCE/json}, read with the {@code json} format, so one source
 * can send both without mixing formats. The request returns once its events are committed.
 */
final class HttpIngest implements IngestHandler {
    private static final Duration RETRY_AFTER = Duration.ofSeconds(1);

    private final IngestPipeline pipeline;
    private final FormatSelector json;

    HttpIngest(IngestPipeline pipeline, String ipField) {
        this.pipeline = pipeline;
        this.json = LogFormats.selector("json", null, ipField);
    }

    @Override
    public int ingest(String source, boolean isJson, List<byte[]> lines) throws IngestBusyException {
        try {
            return isJson ? pipeline.ingest(source + "/json", json, lines, -1) : pipeline.ingest(source, lines, -1);
        } catch (PipelineBusyException e) {
            throw new IngestBusyException(e.getMessage(), RETRY_AFTER);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IngestBusyException("the server is stopping", RETRY_AFTER);
        }
    }
}
