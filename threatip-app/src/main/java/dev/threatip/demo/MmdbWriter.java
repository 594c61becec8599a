package dev.threatip.demo;

import dev.threatip.net.IpAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes small MaxMind DB files (the demo's geo and ASN databases, and the geo tests' fixtures),
 * after the format spec (https://maxmind.github.io/MaxMind-DB/): a binary search tree of 24-bit
 * records, a 16-byte zero separator, the data section, and the metadata map after
 * {@code \xAB\xCD\xEFMaxMind.com}. An IPv6 database holds IPv4 networks at
 * {@code ::a.b.c.d/96+n}; an IPv4 database has a 32-bit tree. Networks must not overlap. Equal
 * records are stored once (as real databases share one record among many networks). Values:
 * String, Double, Float, Integer (uint16, past 65535 uint32), Long (uint32, past 2^32-1 uint64),
 * {@link Uint64}, Boolean, List and Map.
 *
 * <p>Meant for databases of thousands of networks (the tree is built in memory); the same
 * networks and records in the same order give the same bytes.
 */
public final class MmdbWriter {
    private static final byte[] METADATA_MARKER = {(byte) 0xAB, (byte) 0xCD, (byte) 0xEF,
            'M', 'a', 'x', 'M', 'i', 'n', 'd', '.', 'c', 'o', 'm'};

    private final int ipVersion;
    private final String databaseType;
    private final String description;
    private final Node root = new Node();
    private final List<Map<String, Object>> records = new ArrayList<>();

    /** A value written as uint64 even when it is small (the metadata's {@code build_epoch}). */
    public record Uint64(long value) {
    }

    private static final class Node {
        Node[] child = new Node[2];
        int record = -1;
        int number;
    }

    /**
     * A writer of an empty database.
     *
     * @param ipVersion    4 (IPv4 networks only) or 6
     * @param databaseType the metadata's {@code database_type}, e.g. {@code GeoLite2-City}
     */
    public MmdbWriter(int ipVersion, String databaseType) {
        this(ipVersion, databaseType, "threatip test database");
    }

    /**
     * A writer of an empty database with its English description.
     *
     * @throws IllegalArgumentException for an IP version other than 4 or 6
     */
    public MmdbWriter(int ipVersion, String databaseType, String description) {
        if (ipVersion != 4 && ipVersion != 6) {
            throw new IllegalArgumentException("ip version must be 4 or 6, not " + ipVersion);
        }
        this.ipVersion = ipVersion;
        this.databaseType = databaseType;
        this.description = description;
    }

    /**
     * Adds a network, e.g. {@code "192.0.2.0/24"} or {@code "2001:db8::/32"}, with its record.
     *
     * @throws IllegalArgumentException when the network is malformed or overlaps one already added
     */
    public MmdbWriter put(String cidr, Map<String, Object> record) {
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a network: " + cidr);
        }
        IpAddress a = IpAddress.parse(parts[0]);
        int prefix = Integer.parseInt(parts[1]);
        if (prefix < 0 || prefix > (a.isIpv4() ? 32 : 128)) {
            throw new IllegalArgumentException("prefix length out of range in " + cidr);
        }
        int bits;
        long hi;
        long lo;
        if (ipVersion == 4) {
            if (!a.isIpv4()) {
                throw new IllegalArgumentException("an IPv4 database cannot hold " + cidr);
            }
            hi = (long) a.ipv4() << 32;
            lo = 0;
            bits = prefix;
        } else if (a.isIpv4()) {
            hi = 0;
            lo = a.ipv4() & 0xFFFF_FFFFL; // ::a.b.c.d, where readers look for IPv4
            bits = 96 + prefix;
        } else {
            hi = a.hi();
            lo = a.lo();
            bits = prefix;
        }
        Node n = root;
        for (int i = 0; i < bits; i++) {
            if (n.record >= 0) {
                throw new IllegalArgumentException(cidr + " overlaps a network already added");
            }
            int bit = (int) ((i < 64 ? hi >>> (63 - i) : lo >>> (127 - i)) & 1);
            if (n.child[bit] == null) {
                n.child[bit] = new Node();
            }
            n = n.child[bit];
        }
        if (n.record >= 0 || n.child[0] != null || n.child[1] != null) {
            throw new IllegalArgumentException(cidr + " overlaps a network already added");
        }
        records.add(record);
        n.record = records.size() - 1;
        return this;
    }

    /** Writes the database to {@code file}, replacing it. */
    public void write(Path file) throws IOException {
        List<Node> internal = new ArrayList<>();
        ArrayDeque<Node> queue = new ArrayDeque<>();
        queue.add(root);
        while (!queue.isEmpty()) {
            Node n = queue.poll();
            n.number = internal.size();
            internal.add(n);
            for (Node c : n.child) {
                if (c != null && c.record < 0) {
                    queue.add(c);
                }
            }
        }
        int nodeCount = internal.size();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int[] offsets = new int[records.size()];
        Map<Map<String, Object>, Integer> stored = new HashMap<>();
        for (int i = 0; i < records.size(); i++) {
            Integer earlier = stored.get(records.get(i));
            if (earlier == null) {
                earlier = data.size();
                stored.put(records.get(i), earlier);
                encode(data, records.get(i));
            }
            offsets[i] = earlier;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Node n : internal) {
            for (Node c : n.child) {
                long v = c == null ? nodeCount
                        : c.record >= 0 ? nodeCount + 16L + offsets[c.record] : c.number;
                if (v >= 1 << 24) {
                    throw new IllegalStateException("too large for 24-bit records");
                }
                out.write((int) (v >>> 16));
                out.write((int) (v >>> 8));
                out.write((int) v);
            }
        }
        out.write(new byte[16]);
        data.writeTo(out);
        out.write(METADATA_MARKER);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("node_count", (long) nodeCount);
        meta.put("record_size", 24);
        meta.put("ip_version", ipVersion);
        meta.put("database_type", databaseType);
        meta.put("languages", List.of("en"));
        meta.put("binary_format_major_version", 2);
        meta.put("binary_format_minor_version", 0);
        meta.put("build_epoch", new Uint64(1_700_000_000L));
        meta.put("description", Map.of("en", description));
        encode(out, meta);
        Files.write(file, out.toByteArray());
    }

    private static void encode(ByteArrayOutputStream out, Object v) {
        if (v instanceof String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            control(out, 2, b.length);
            out.writeBytes(b);
        } else if (v instanceof Double d) {
            control(out, 3, 8);
            writeBig(out, Double.doubleToLongBits(d), 8);
        } else if (v instanceof Float f) {
            control(out, 15, 4);
            writeBig(out, Float.floatToIntBits(f), 4);
        } else if (v instanceof Integer i) {
            unsigned(out, i > 0xFFFF ? 6 : 5, i);
        } else if (v instanceof Long l) {
            unsigned(out, l > 0xFFFF_FFFFL ? 9 : 6, l);
        } else if (v instanceof Uint64 u) {
            unsigned(out, 9, u.value());
        } else if (v instanceof Boolean b) {
            control(out, 14, b ? 1 : 0);
        } else if (v instanceof List<?> l) {
            control(out, 11, l.size());
            l.forEach(e -> encode(out, e));
        } else if (v instanceof Map<?, ?> m) {
            control(out, 7, m.size());
            m.forEach((k, e) -> {
                encode(out, (String) k);
                encode(out, e);
            });
        } else {
            throw new IllegalArgumentException("cannot encode " + v);
        }
    }

    /** An unsigned value of the given type (5 uint16, 6 uint32, 9 uint64) in its fewest bytes. */
    private static void unsigned(ByteArrayOutputStream out, int type, long n) {
        if (n < 0) {
            throw new IllegalArgumentException("unsigned values only: " + n);
        }
        int size = (64 - Long.numberOfLeadingZeros(n) + 7) / 8;
        control(out, type, size);
        writeBig(out, n, size);
    }

    /** The control byte: type in the top 3 bits (0 plus an extended-type byte past 7), then the size. */
    private static void control(ByteArrayOutputStream out, int type, int size) {
        int sizeBits;
        byte[] extra;
        if (size < 29) {
            sizeBits = size;
            extra = new byte[0];
        } else if (size < 285) {
            sizeBits = 29;
            extra = new byte[] {(byte) (size - 29)};
        } else if (size < 65_821) {
            sizeBits = 30;
            int s = size - 285;
            extra = new byte[] {(byte) (s >>> 8), (byte) s};
        } else {
            sizeBits = 31;
            int s = size - 65_821;
            extra = new byte[] {(byte) (s >>> 16), (byte) (s >>> 8), (byte) s};
        }
        if (type <= 7) {
            out.write(type << 5 | sizeBits);
        } else {
            out.write(sizeBits);
            out.write(type - 7);
        }
        out.writeBytes(extra);
    }

    private static void writeBig(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = bytes - 1; i >= 0; i--) {
            out.write((int) (v >>> (8 * i)));
        }
    }
}
