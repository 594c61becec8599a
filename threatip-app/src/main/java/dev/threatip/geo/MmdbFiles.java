package dev.threatip.geo;

import com.maxmind.db.Reader;
import dev.threatip.net.IpAddress;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Several MaxMind DB files asked in order, the first record found wins: ip-location-db ships
 * IPv4 and IPv6 as separate files, and an IPv4-only file is not asked about IPv6 addresses.
 * Each file is memory-mapped by MaxMind's {@link Reader}, which is thread-safe.
 */
final class MmdbFiles implements Closeable {
    private final List<Reader> readers;
    private final boolean[] ipv4Only;

    private MmdbFiles(List<Reader> readers) {
        this.readers = readers;
        this.ipv4Only = new boolean[readers.size()];
        for (int i = 0; i < readers.size(); i++) {
            ipv4Only[i] = readers.get(i).getMetadata().getIpVersion() == 4;
        }
    }

    static MmdbFiles open(List<Path> files) throws IOException {
        List<Reader> readers = new ArrayList<>(files.size());
        try {
            for (Path f : files) {
                readers.add(open(f));
            }
        } catch (IOException | RuntimeException e) {
            for (Reader r : readers) {
                r.close();
            }
            throw e;
        }
        return new MmdbFiles(readers);
    }

    private static Reader open(Path f) throws IOException {
        if (!Files.isRegularFile(f)) {
            throw new NoSuchFileException(f.toString());
        }
        try {
            return new Reader(f.toFile());
        } catch (IOException | RuntimeException e) {
            throw new GeoDatabaseException(f, "not a readable MaxMind DB file: " + e.getMessage(), e);
        }
    }

    boolean isEmpty() {
        return readers.isEmpty();
    }

    /** The record of the address from the first file that has one, or null. */
    @SuppressWarnings("unchecked")
    Map<String, Object> find(IpAddress a) {
        InetAddress inet = inet(a);
        boolean v4 = a.isIpv4();
        for (int i = 0; i < readers.size(); i++) {
            if (ipv4Only[i] && !v4) {
                continue;
            }
            try {
                Map<String, Object> r = readers.get(i).get(inet, Map.class);
                if (r != null) {
                    return r;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("MaxMind DB lookup of " + a + " failed: " + e.getMessage(), e);
            }
        }
        return null;
    }

    static InetAddress inet(IpAddress a) {
        byte[] b;
        if (a.isIpv4()) {
            int v = a.ipv4();
            b = new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
        } else {
            b = new byte[16];
            for (int i = 0; i < 8; i++) {
                b[i] = (byte) (a.hi() >>> (56 - 8 * i));
                b[8 + i] = (byte) (a.lo() >>> (56 - 8 * i));
            }
        }
        try {
            return InetAddress.getByAddress(b);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 or 16 bytes are always an address", e);
        }
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (Reader r : readers) {
            try {
                r.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
