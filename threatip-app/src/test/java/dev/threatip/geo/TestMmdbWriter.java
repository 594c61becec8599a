package dev.threatip.geo;

import dev.threatip.demo.MmdbWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** The geo tests' name for {@link MmdbWriter}, which writes their MaxMind DB fixtures. */
public final class TestMmdbWriter {
    private final MmdbWriter writer;

    public TestMmdbWriter(int ipVersion, String databaseType) {
        this.writer = new MmdbWriter(ipVersion, databaseType);
    }

    /** Adds a network, e.g. {@code "192.0.2.0/24"} or {@code "2001:db8::/32"}, with its record. */
    public TestMmdbWriter put(String cidr, Map<String, Object> record) {
        writer.put(cidr, record);
        return this;
    }

    public void write(Path file) throws IOException {
        writer.write(file);
    }
}
