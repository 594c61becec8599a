package dev.threatip.intel;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The snapshot's shared attribute table: feeds, the distinct evidence their entries carry,
 * listings (feed + evidence) and listing sets. Every address points at one listing set, so
 * 100M addresses listed by the same few feeds share a handful of sets.
 *
 * @param feeds    the feeds, by index
 * @param evidence the distinct evidence, by index
 * @param listings per listing: {feed index, evidence index}
 * @param sets     per set: the listing indexes, ascending
 */
record AttributeTable(List<CompiledFeed> feeds, List<Evidence> evidence, int[][] listings, int[][] sets) {
    private static final long NO_TIME = Long.MIN_VALUE;

    /** The listings of one set, resolved. */
    List<Listing> listingsOf(int set) {
        int[] ids = sets[set];
        List<Listing> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(listing(id));
        }
        return out;
    }

    Listing listing(int id) {
        return new Listing(feeds.get(listings[id][0]), evidence.get(listings[id][1]));
    }

    byte[] encode() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(feeds.size());
        for (CompiledFeed f : feeds) {
            out.writeUTF(f.name());
            out.writeUTF(f.family());
            out.writeUTF(f.source());
            out.writeByte(f.format().ordinal());
            out.writeByte(f.role().ordinal());
            out.writeDouble(f.reliability());
            out.writeInt(mask(f.categories()));
            out.writeByte(f.confidence() == null ? -1 : f.confidence().ordinal());
            out.writeLong(f.ttl() == null ? -1 : f.ttl().toSeconds());
            out.writeLong(time(f.published()));
            out.writeLong(time(f.fetchedAt()));
        }
        out.writeInt(evidence.size());
        for (Evidence e : evidence) {
            out.writeInt(mask(e.categories()));
            out.writeInt(e.score());
            out.writeInt(e.listCount());
            out.writeLong(time(e.firstSeen()));
            out.writeLong(time(e.lastSeen()));
            out.writeLong(time(e.validUntil()));
            out.writeShort(e.tags().size());
            for (String t : e.tags()) {
                out.writeUTF(t);
            }
        }
        out.writeInt(listings.length);
        for (int[] l : listings) {
            out.writeInt(l[0]);
            out.writeInt(l[1]);
        }
        out.writeInt(sets.length);
        for (int[] s : sets) {
            out.writeInt(s.length);
            for (int id : s) {
                out.writeInt(id);
            }
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** Decodes and checks every cross-reference, so lookups can trust indexes. */
    static AttributeTable decode(ByteBuffer[] chunks, SnapshotFile file) {
        try {
            DataInputStream in = new DataInputStream(new BufferInput(chunks[0].duplicate()));
            int feedCount = count(in, file, "feeds");
            List<CompiledFeed> feeds = new ArrayList<>(feedCount);
            for (int i = 0; i < feedCount; i++) {
                String name = in.readUTF();
                String family = in.readUTF();
                String source = in.readUTF();
                FeedFormat format = FeedFormat.values()[index(in.readByte(), FeedFormat.values().length, file, "feed format")];
                FeedRole role = FeedRole.values()[index(in.readByte(), FeedRole.values().length, file, "feed role")];
                double reliability = in.readDouble();
                Set<Category> cats = categories(in.readInt());
                int conf = in.readByte();
                long ttl = in.readLong();
                Instant published = instant(in.readLong());
                Instant fetched = instant(in.readLong());
                feeds.add(new CompiledFeed(name, family, source, format, role, reliability, cats,
                        conf < 0 ? null : Confidence.values()[index(conf, 3, file, "confidence")],
                        ttl < 0 ? null : Duration.ofSeconds(ttl), published, fetched));
            }
            int evidenceCount = count(in, file, "evidence");
            List<Evidence> evidence = new ArrayList<>(evidenceCount);
            for (int i = 0; i < evidenceCount; i++) {
                Set<Category> cats = categories(in.readInt());
                int score = in.readInt();
                int lists = in.readInt();
                Instant first = instant(in.readLong());
                Instant last = instant(in.readLong());
                Instant until = instant(in.readLong());
                int tagCount = in.readUnsignedShort();
                List<String> tags = new ArrayList<>(tagCount);
                for (int t = 0; t < tagCount; t++) {
                    tags.add(in.readUTF());
                }
                evidence.add(new Evidence(cats, score, lists, first, last, until, tags));
            }
            int listingCount = count(in, file, "listings");
            int[][] listings = new int[listingCount][];
            for (int i = 0; i < listingCount; i++) {
                listings[i] = new int[] {index(in.readInt(), feedCount, file, "listing feed"),
                        index(in.readInt(), evidenceCount, file, "listing evidence")};
            }
            int setCount = count(in, file, "listing sets");
            int[][] sets = new int[setCount][];
            for (int i = 0; i < setCount; i++) {
                int n = count(in, file, "listing set size");
                sets[i] = new int[n];
                for (int j = 0; j < n; j++) {
                    sets[i][j] = index(in.readInt(), listingCount, file, "set listing");
                }
            }
            return new AttributeTable(feeds, evidence, listings, sets);
        } catch (EOFException e) {
            throw file.corrupt("attribute table is truncated");
        } catch (IOException | IllegalArgumentException e) {
            throw file.corrupt("attribute table is corrupt: " + e.getMessage());
        }
    }

    private static int count(DataInputStream in, SnapshotFile file, String what) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > 1 << 28) {
            throw file.corrupt("attribute table has an impossible " + what + " count " + n);
        }
        return n;
    }

    private static int index(int v, int bound, SnapshotFile file, String what) {
        if (v < 0 || v >= bound) {
            throw file.corrupt("attribute table " + what + " index " + v + " out of range 0-" + (bound - 1));
        }
        return v;
    }

    static int mask(Set<Category> categories) {
        int m = 0;
        for (Category c : categories) {
            m |= 1 << c.ordinal();
        }
        return m;
    }

    static Set<Category> categories(int mask) {
        Set<Category> s = EnumSet.noneOf(Category.class);
        for (Category c : Category.values()) {
            if ((mask & (1 << c.ordinal())) != 0) {
                s.add(c);
            }
        }
        return s;
    }

    private static long time(Instant t) {
        return t == null ? NO_TIME : t.toEpochMilli();
    }

    private static Instant instant(long ms) {
        return ms == NO_TIME ? null : Instant.ofEpochMilli(ms);
    }

    /** An InputStream over a ByteBuffer, for DataInputStream. */
    private static final class BufferInput extends InputStream {
        private final ByteBuffer buf;

        BufferInput(ByteBuffer buf) {
            this.buf = buf;
        }

        @Override
        public int read() {
            return buf.hasRemaining() ? buf.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (!buf.hasRemaining()) {
                return -1;
            }
            int n = Math.min(len, buf.remaining());
            buf.get(b, off, n);
            return n;
        }
    }
}
