package dev.threatip.flink;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.reader.SimpleStreamFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.core.fs.FSDataInputStream;

/**
 * Log files for backfills, read as byte lines (no charset decoding before the parser, as
 * {@code scan} reads). A line longer than {@link LineAnalyzer#MAX_LINE} is cut one byte past the
 * limit without buffering the rest, so the analyzer counts it as a bad line. FileSource
 * decompresses {@code .gz} by extension and checkpoints the position per file.
 */
final class RawLineFormat extends SimpleStreamFormat<RawLine> {
    private static final long serialVersionUID = 1L;

    @Override
    public StreamFormat.Reader<RawLine> createReader(Configuration config, FSDataInputStream stream) {
        return new Reader(stream);
    }

    @Override
    public TypeInformation<RawLine> getProducedType() {
        return TypeInformation.of(RawLine.class);
    }

    private static final class Reader implements StreamFormat.Reader<RawLine> {
        private final InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int lim;
        private byte[] line = new byte[256];

        Reader(InputStream in) {
            this.in = in;
        }

        @Override
        public RawLine read() throws IOException {
            int n = 0;
            boolean any = false;
            while (true) {
                if (pos == lim) {
                    lim = in.read(buf, 0, buf.length);
                    pos = 0;
                    if (lim <= 0) {
                        lim = 0;
                        return any ? new RawLine(Arrays.copyOf(line, n)) : null;
                    }
                }
                any = true;
                int start = pos;
                while (pos < lim && buf[pos] != '\n') {
                    pos++;
                }
                int take = Math.min(pos - start, LineAnalyzer.MAX_LINE + 1 - n);
                if (take > 0) {
                    if (n + take > line.length) {
                        line = Arrays.copyOf(line, Math.max(n + take, line.length * 2));
                    }
                    System.arraycopy(buf, start, line, n, take);
                    n += take;
                }
                if (pos < lim) {
                    pos++;
                    if (n > 0) {
                        return new RawLine(Arrays.copyOf(line, n));
                    }
                    any = false; // an empty line, skipped as scan skips it
                }
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
