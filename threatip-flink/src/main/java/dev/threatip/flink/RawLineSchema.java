package dev.threatip.flink;

import java.util.Arrays;
import org.apache.flink.api.common.serialization.DeserializationSchema;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

/**
 * Kafka record values as log lines: one line per record as shippers (Vector, Fluent Bit,
 * Filebeat) send them, or several separated by newlines; a trailing CR is dropped by the parser.
 * Empty values and tombstones carry no line and are skipped.
 */
final class RawLineSchema implements DeserializationSchema<RawLine> {
    private static final long serialVersionUID = 1L;

    @Override
    public RawLine deserialize(byte[] message) {
        throw new UnsupportedOperationException("lines are split in deserialize(byte[], Collector)");
    }

    @Override
    public void deserialize(byte[] message, Collector<RawLine> out) {
        if (message == null) {
            return;
        }
        int s = 0;
        for (int i = 0; i <= message.length; i++) {
            if (i == message.length || message[i] == '\n') {
                if (i > s) {
                    out.collect(new RawLine(s == 0 && i == message.length ? message : Arrays.copyOfRange(message, s, i)));
                }
                s = i + 1;
            }
        }
    }

    @Override
    public boolean isEndOfStream(RawLine next) {
        return false;
    }

    @Override
    public TypeInformation<RawLine> getProducedType() {
        return TypeInformation.of(RawLine.class);
    }
}
