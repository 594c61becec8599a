package dev.threatip.geo;

import dev.threatip.net.IpAddress;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Country, city, coordinates and autonomous system of an address, from whichever databases were
 * given: MaxMind DB files for geo (GeoLite2/GeoIP2, DB-IP, ip-location-db) and MaxMind DB files or
 * the ip-location-db CSV for ASN. A database not given simply answers null. Answers go through a
 * bounded LRU cache per kind; the instance is thread-safe.
 *
 * <pre>{@code
 * try (GeoLookup g = GeoLookup.open(Path.of("geolite2-city"), Path.of("asn-ipv4.csv.gz"))) {
 *     Geo where = g.geo(IpAddress.parse("81.2.69.142"));   // GB, London, 51.5142, -0.0931
 *     Asn who = g.asn(IpAddress.parse("8.8.8.8"));        // 15169, Google LLC
 * }
 * }</pre>
 */
public final class GeoLookup implements Closeable {
    /** Entries per cache (geo and ASN each). */
    public static final int CACHE_SIZE = 8192;

    private static final Geo NO_GEO = new Geo(null, null, null, null);
    private static final Asn NO_ASN = new Asn(null, null);

    private final MmdbFiles geoFiles;
    private final MmdbFiles asnFiles;
    private final AsnRanges asnRanges;
    private final LruCache<IpAddress, Geo> geoCache = new LruCache<>(CACHE_SIZE);
    private final LruCache<IpAddress, Asn> asnCache = new LruCache<>(CACHE_SIZE);

    private GeoLookup(MmdbFiles geoFiles, MmdbFiles asnFiles, AsnRanges asnRanges) {
        this.geoFiles = geoFiles;
        this.asnFiles = asnFiles;
        this.asnRanges = asnRanges;
    }

    /**
     * Opens one geo and one ASN source, either may be null; see {@link #open(List, List)}.
     */
    public static GeoLookup open(Path geo, Path asn) throws IOException {
        return open(geo == null ? List.of() : List.of(geo), asn == null ? List.of() : List.of(asn));
    }

    /**
     * Opens the databases. A directory stands for the {@code .mmdb} files in it (and, for ASN, the
     * {@code .csv} and {@code .csv.gz} files), in name order; files are asked in the order given,
     * the first answer wins.
     *
     * @param geo MaxMind DB files or directories with city/country records; may be empty
     * @param asn MaxMind DB or ip-location-db ASN CSV files, or directories of them; may be empty
     * @throws NoSuchFileException   when a path does not exist
     * @throws GeoDatabaseException  when a file is not a database of its kind, naming file and line
     */
    public static GeoLookup open(List<Path> geo, List<Path> asn) throws IOException {
        List<Path> geoMmdb = new ArrayList<>();
        for (Path p : expand(geo, false)) {
            if (!isMmdb(p)) {
                throw new GeoDatabaseException(p, 0, "a geo database must be a MaxMind DB (.mmdb) file");
            }
            geoMmdb.add(p);
        }
        List<Path> asnMmdb = new ArrayList<>();
        List<Path> asnCsv = new ArrayList<>();
        for (Path p : expand(asn, true)) {
            if (isMmdb(p)) {
                asnMmdb.add(p);
            } else if (isCsv(p)) {
                asnCsv.add(p);
            } else {
                throw new GeoDatabaseException(p, 0, "an ASN database must be .mmdb, .csv or .csv.gz");
            }
        }
        MmdbFiles g = MmdbFiles.open(geoMmdb);
        try {
            MmdbFiles a = MmdbFiles.open(asnMmdb);
            try {
                return new GeoLookup(g, a, asnCsv.isEmpty() ? null : AsnRanges.load(asnCsv));
            } catch (IOException | RuntimeException e) {
                a.close();
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            g.close();
            throw e;
        }
    }

    /** Whether a geo database was given. */
    public boolean hasGeo() {
        return !geoFiles.isEmpty();
    }

    /** Whether an ASN database was given. */
    public boolean hasAsn() {
        return !asnFiles.isEmpty() || asnRanges != null;
    }

    /** Where the address is, or null when no geo database was given or it does not know. */
    public Geo geo(IpAddress a) {
        if (!hasGeo()) {
            return null;
        }
        Geo g = geoCache.get(a, k -> {
            Geo found = RecordFields.geo(geoFiles.find(k));
            return found != null ? found : NO_GEO;
        });
        return g == NO_GEO ? null : g;
    }

    /** The autonomous system of the address, or null when no ASN database was given or it does not know. */
    public Asn asn(IpAddress a) {
        if (!hasAsn()) {
            return null;
        }
        Asn n = asnCache.get(a, k -> {
            Asn found = RecordFields.asn(asnFiles.find(k));
            if (found == null && asnRanges != null) {
                found = asnRanges.find(k);
            }
            return found != null ? found : NO_ASN;
        });
        return n == NO_ASN ? null : n;
    }

    @Override
    public void close() throws IOException {
        try {
            geoFiles.close();
        } finally {
            asnFiles.close();
        }
    }

    private static List<Path> expand(List<Path> paths, boolean csvToo) throws IOException {
        List<Path> out = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                List<Path> inside;
                try (Stream<Path> s = Files.list(p)) {
                    inside = s.filter(f -> Files.isRegularFile(f) && (isMmdb(f) || csvToo && isCsv(f)))
                            .sorted().toList();
                }
                if (inside.isEmpty()) {
                    throw new GeoDatabaseException(p, 0, "no " + (csvToo ? ".mmdb, .csv or .csv.gz" : ".mmdb")
                            + " files in this directory");
                }
                out.addAll(inside);
            } else if (Files.exists(p)) {
                out.add(p);
            } else {
                throw new NoSuchFileException(p.toString());
            }
        }
        return out;
    }

    private static boolean isMmdb(Path p) {
        return name(p).endsWith(".mmdb");
    }

    private static boolean isCsv(Path p) {
        String n = name(p);
        return n.endsWith(".csv") || n.endsWith(".csv.gz");
    }

    private static String name(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }
}
