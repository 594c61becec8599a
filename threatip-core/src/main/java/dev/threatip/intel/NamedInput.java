package dev.threatip.intel;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A feed's input stream whose read failures name the feed: a truncated gzip otherwise surfaces
 * as a bare "Unexpected end of ZLIB input stream" that tells the operator nothing about which of
 * twenty feeds broke.
 */
final class NamedInput extends FilterInputStream {
    private final String name;

    private NamedInput(InputStream in, String name) {
        super(in);
        this.name = name;
    }

    /** Opens the feed (gzip-transparent) so that every I/O failure names it. */
    static InputStream open(FeedInput input) throws IOException {
        try {
            return new NamedInput(input.open(), input.displayName());
        } catch (IOException e) {
            throw named(input.displayName(), e);
        }
    }

    private static IOException named(String name, IOException e) {
        String msg = e.getMessage();
        if (msg != null && msg.startsWith(name + ": ")) {
            return e;
        }
        return new IOException(name + ": cannot read feed: " + (msg == null ? e.getClass().getSimpleName() : msg), e);
    }

    @Override
    public int read() throws IOException {
        try {
            return super.read();
        } catch (IOException e) {
            throw named(name, e);
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        try {
            return super.read(b, off, len);
        } catch (IOException e) {
            throw named(name, e);
        }
    }

    @Override
    public long skip(long n) throws IOException {
        try {
            return super.skip(n);
        } catch (IOException e) {
            throw named(name, e);
        }
    }
}
