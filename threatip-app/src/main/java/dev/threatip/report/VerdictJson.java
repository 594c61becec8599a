package dev.threatip.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.threatip.geo.Asn;
import dev.threatip.geo.Geo;
import dev.threatip.geo.GeoLookup;
import dev.threatip.intel.Category;
import dev.threatip.intel.CategoryVerdict;
import dev.threatip.intel.ConfidenceModel;
import dev.threatip.intel.Evidence;
import dev.threatip.intel.IntelMatch;
import dev.threatip.intel.Listing;
import dev.threatip.intel.Verdict;
import dev.threatip.net.AddressClass;
import dev.threatip.net.Cidr;
import dev.threatip.net.SpecialRanges;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

/**
 * Verdicts as the JSON of DESIGN.md §4: the {@code lookup} object and the parts that
 * {@code scan} output reuses ({@link #categories}). Field names are a contract; keep them in
 * step with DESIGN.md.
 */
public final class VerdictJson {
    /** A mapper fit for writing these trees, one object per line. */
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private VerdictJson() {
    }

    /**
     * The {@code lookup} object of one address: {@code ip, verdict, level, categories, tags,
     * first_seen, last_seen, matched, explanation {listings, notes}, stale}.
     *
     * @param match         the index's explanation of the address
     * @param snapshotStale whether the snapshot itself is older than its stale threshold
     */
    public static ObjectNode lookup(IntelMatch match, boolean snapshotStale) {
        return lookup(match, snapshotStale, null);
    }

    /**
     * The {@code lookup} object with, after {@code matched}, {@code geo} {@code {country, city,
     * lat, lon}} when {@code geo} has a geo database and {@code asn} {@code {number, org}} when it
     * has an ASN database; either is null when its database does not know the address.
     *
     * @param geo the geo and ASN databases, or null for none
     */
    public static ObjectNode lookup(IntelMatch match, boolean snapshotStale, GeoLookup geo) {
        Verdict v = match.verdict();
        ObjectNode o = NODES.objectNode();
        o.put("ip", match.address().toString());
        o.put("verdict", v.kind().wireName());
        o.put("level", v.level() == null ? null : v.level().wireName());
        o.set("categories", categories(v.categories()));
        o.set("tags", strings(v.tags()));
        o.put("first_seen", instant(v.firstSeen()));
        o.put("last_seen", instant(v.lastSeen()));
        o.put("matched", matched(match.matched()));
        if (geo != null && geo.hasGeo()) {
            o.set("geo", geo(geo.geo(match.address())));
        }
        if (geo != null && geo.hasAsn()) {
            o.set("asn", asn(geo.asn(match.address())));
        }
        ObjectNode explanation = o.putObject("explanation");
        ArrayNode listings = explanation.putArray("listings");
        for (int i = 0; i < match.listings().size(); i++) {
            // the index records the entry and line of the first listing only: the most specific match
            listings.add(listing(match.listings().get(i), i == 0 ? match : null));
        }
        ArrayNode notes = explanation.putArray("notes");
        v.notes().forEach(notes::add);
        AddressClass space = SpecialRanges.classify(match.address());
        if (space != AddressClass.PUBLIC) {
            notes.add("special-purpose address (" + space.wireName() + ")");
        }
        if (snapshotStale) {
            notes.add("the intel snapshot is stale: recompile it with 'threatip feeds compile'");
        }
        o.put("stale", v.stale() || snapshotStale);
        return o;
    }

    /** The {@code categories} array: {@code category, confidence, source, rules, feeds}. */
    public static ArrayNode categories(List<CategoryVerdict> categories) {
        ArrayNode a = NODES.arrayNode();
        for (CategoryVerdict c : categories) {
            ObjectNode o = a.addObject();
            o.put("category", c.category().wireName());
            o.put("confidence", c.confidence().wireName());
            o.put("source", c.source());
            o.set("rules", strings(c.rules()));
            o.set("feeds", strings(c.feeds()));
        }
        return a;
    }

    /** The {@code geo} object {@code {country, city, lat, lon}}, or JSON null. */
    public static JsonNode geo(Geo g) {
        if (g == null) {
            return NODES.nullNode();
        }
        ObjectNode o = NODES.objectNode();
        o.put("country", g.country());
        o.put("city", g.city());
        o.put("lat", g.lat());
        o.put("lon", g.lon());
        return o;
    }

    /** The {@code asn} object {@code {number, org}}, or JSON null. */
    public static JsonNode asn(Asn a) {
        if (a == null) {
            return NODES.nullNode();
        }
        ObjectNode o = NODES.objectNode();
        o.put("number", a.number());
        o.put("org", a.org());
        return o;
    }

    /** An ISO-8601 instant, or null. */
    public static String instant(Instant i) {
        return i == null ? null : i.toString();
    }

    /** A single address as itself, a network as CIDR, null as null. */
    public static String matched(Cidr c) {
        if (c == null) {
            return null;
        }
        return c.isSingleAddress() ? c.network().toString() : c.toString();
    }

    private static ObjectNode listing(ConfidenceModel.WeighedListing w, IntelMatch first) {
        Listing l = w.listing();
        Evidence e = l.evidence();
        ObjectNode o = NODES.objectNode();
        o.put("feed", l.feed().name());
        if (first != null) {
            o.put("entry", matched(first.matched()));
            o.put("line", first.line());
        } else {
            o.putNull("line");
        }
        o.put("role", l.feed().role().wireName());
        ArrayNode cats = o.putArray("categories");
        for (Category c : l.categories()) {
            cats.add(c.wireName());
        }
        o.put("weight", BigDecimal.valueOf(w.weight()).setScale(3, RoundingMode.HALF_UP));
        o.put("first_seen", instant(e.firstSeen()));
        o.put("last_seen", instant(e.lastSeen() != null ? e.lastSeen() : l.feed().asOf()));
        if (e.score() == Evidence.NO_SCORE) {
            o.putNull("score");
        } else {
            o.put("score", e.score());
        }
        if (e.listCount() == 0) {
            o.putNull("lists");
        } else {
            o.put("lists", e.listCount());
        }
        o.put("expired", w.expired());
        o.put("stale", w.stale());
        return o;
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode a = NODES.arrayNode();
        values.forEach(a::add);
        return a;
    }
}
