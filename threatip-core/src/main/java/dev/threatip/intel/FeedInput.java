package dev.threatip.intel;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * A feed on local disk, ready to read: a file (gzip or not, told by its magic bytes, not its
 * name) or, for MISP feeds, a directory.
 *
 * @param path        the file or directory
 * @param displayName how to name it in messages (the original URL for a downloaded feed)
 */
public record FeedInput(Path path, String displayName) {
    /** A feed read from {@code path}, named by it in messages. */
    public static FeedInput of(Path path) {
        return new FeedInput(path, path.toString());
    }

    /** Opens the feed file, decompressing gzip transparently. */
    public InputStream open() throws IOException {
        return open(path);
    }

    /** Opens a file of this feed (a MISP event beside the manifest), decompressing gzip transparently. */
    public static InputStream open(Path file) throws IOException {
        InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            return new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16);
        }
        return in;
    }
}
