package dev.threatip.flink;

import dev.threatip.log.LineFields;
import org.apache.flink.api.common.eventtime.TimestampAssigner;

/**
 * Event time at the source, from the line itself: the sources assign it per Kafka partition or
 * file split, so each one's watermark advances with its own lines and a lagging partition does
 * not make its lines late. The line is parsed once more for this (as {@link LineAnalyzer} does
 * next), the price of per-partition watermarks. Lines without a time (or that do not parse)
 * return {@link Long#MIN_VALUE}, which never advances a watermark: a broker's append time must
 * not pose as the log's time.
 */
final class LineTime implements TimestampAssigner<RawLine> {
    private final LineParsing parsing;
    private final LineFields fields = new LineFields();

    LineTime(JobOptions options) {
        this.parsing = new LineParsing(options);
    }

    @Override
    public long extractTimestamp(RawLine line, long recordTimestamp) {
        if (line.bytes.length > LineAnalyzer.MAX_LINE || parsing.parse(line.bytes, fields) != LineParsing.Result.EVENT
                || fields.timeMillis < 0) {
            return Long.MIN_VALUE;
        }
        return fields.timeMillis;
    }
}
