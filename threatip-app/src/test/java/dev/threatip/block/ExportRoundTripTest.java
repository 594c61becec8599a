package dev.threatip.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.Category;
import dev.threatip.intel.FeedContext;
import dev.threatip.intel.FeedEntry;
import dev.threatip.intel.FeedFormat;
import dev.threatip.intel.FeedInput;
import dev.threatip.intel.FeedReaders;
import dev.threatip.net.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The data-exchange exports read back by real readers give what went in: STIX and plain through
 * threatip's own feed readers (so an export can feed another threatip), JSON through Jackson
 * with every reason byte for byte, CSV through an RFC 4180 parser with one record per decision
 * whatever line breaks and quotes a reason holds.
 */
class ExportRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /**
     * The categories whose wire name the feed readers' label vocabulary reads as that category;
     * the others ({@code web_attack}, {@code account_takeover}) come back as tags, and
     * {@code network_attack} from {@code indicator_types}.
     */
    private static final java.util.Set<Category> READ_BACK_LABELS = java.util.EnumSet.of(Category.SCANNER,
            Category.BRUTE_FORCE, Category.MALICIOUS_BOT, Category.NETWORK_PROXY, Category.EXPLOIT);

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "cut", "hostile"})
    void stix_readBackByTheFeedReader_givesEveryScopeWithExpiryConfidenceAndCategory(String caseName) throws IOException {
        ExportResult r = export(caseName, "stix");
        List<FeedEntry> entries = new ArrayList<>();
        FeedContext ctx = new FeedContext("export", Map.of());
        FeedReaders.forFormat(FeedFormat.STIX).read(input(r), ctx, entries::add);
        assertEquals(0, ctx.badLines(), ctx.badLineSamples().toString());
        assertEquals(r.exported(), entries.size());
        List<Decision> exported = exportedDecisions(caseName, r);
        for (int i = 0; i < entries.size(); i++) {
            Decision d = exported.get(i);
            FeedEntry e = entries.get(i);
            assertEquals(d.scope(), e.network());
            assertEquals(d.expires(), e.evidence().validUntil());
            assertEquals(d.created(), e.evidence().firstSeen());
            if (d.confidence() != null) {
                assertEquals(StixFormat.stixConfidence(d.confidence()), e.evidence().score());
            }
            if (d.category() != null && READ_BACK_LABELS.contains(d.category())) {
                assertTrue(e.evidence().categories().contains(d.category()), e.evidence() + " for " + d);
            }
            if (d.category() != null) {
                assertTrue(e.evidence().categories().contains(d.category())
                        || e.evidence().tags().contains(d.category().wireName()), "the label is kept: " + e.evidence());
            }
            assertTrue(e.evidence().categories().contains(Category.NETWORK_ATTACK), "malicious-activity");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "cut", "hostile"})
    void plain_readBackByTheFeedReader_givesTheExportedScopes(String caseName) throws IOException {
        ExportResult r = export(caseName, "plain");
        List<Cidr> read = new ArrayList<>();
        FeedContext ctx = new FeedContext("export", Map.of());
        FeedReaders.forFormat(FeedFormat.PLAIN).read(input(r), ctx, e -> read.add(e.network()));
        assertEquals(0, ctx.badLines(), ctx.badLineSamples().toString());
        assertEquals(r.exported(), read.size());
        assertEquals(scopes(Exporter.forTarget("nftables").export(decisions(caseName), options(caseName))), read.stream()
                .map(Cidr::toString).sorted().toList(), "the same bans as the firewall exports");
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "cut", "hostile"})
    void json_parsed_keepsEveryReasonByteForByte(String caseName) throws IOException {
        ExportResult r = export(caseName, "json");
        JsonNode root = JSON.readTree(r.content());
        assertEquals(r.exported(), root.get("decisions").size());
        assertEquals(r.leftOut().size(), root.get("left_out").get("total").asInt());
        Map<Long, Decision> byId = decisions(caseName).stream().collect(Collectors.toMap(Decision::id, Function.identity()));
        for (JsonNode d : root.get("decisions")) {
            Decision original = byId.get(d.get("id").asLong());
            assertEquals(original.reason(), d.get("reason").asText());
            assertEquals(original.scope().toString(), d.get("scope").asText());
            assertEquals(original.expires().toString(), d.get("expires").asText());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "cut", "hostile"})
    void csv_parsed_holdsOneRecordOfTwelveFieldsPerDecision(String caseName) throws IOException {
        ExportResult r = export(caseName, "csv");
        List<List<String>> rows = parseCsv(r.text());
        assertEquals(CsvFormat.HEADER, String.join(",", rows.get(0)));
        assertEquals(r.exported() + 1, rows.size());
        assertEquals(r.exported() + 1, r.text().split("\r\n", -1).length - 1, "one line per record");
        Map<Long, Decision> byId = decisions(caseName).stream().collect(Collectors.toMap(Decision::id, Function.identity()));
        for (List<String> row : rows.subList(1, rows.size())) {
            assertEquals(12, row.size(), row.toString());
            Decision d = byId.get(Long.parseLong(row.get(0)));
            String reason = row.get(6);
            assertTrue(!reason.startsWith("=") && !reason.startsWith("+") && !reason.startsWith("@"), reason);
            assertEquals(d.reason().replaceAll("[\\p{Cntrl}\u2028\u2029]", " ").strip().replaceFirst("^([=+@-])", "'$1"), reason);
        }
    }

    private ExportResult export(String caseName, String format) {
        return Exporter.forTarget(format).export(decisions(caseName), options(caseName));
    }

    private static List<Decision> decisions(String caseName) {
        return DecisionFixtures.decisions(DecisionFixtures.golden(caseName));
    }

    private static ExportOptions options(String caseName) {
        return DecisionFixtures.options(DecisionFixtures.golden(caseName));
    }

    /** The decisions of a records export, in its order (its CSV twin lists their ids). */
    private static List<Decision> exportedDecisions(String caseName, ExportResult r) {
        Map<Long, Decision> byId = decisions(caseName).stream().collect(Collectors.toMap(Decision::id, Function.identity()));
        ExportResult csv = Exporter.forTarget("csv").export(decisions(caseName), options(caseName));
        return parseCsv(csv.text()).stream().skip(1).map(row -> byId.get(Long.parseLong(row.get(0)))).toList();
    }

    private static List<String> scopes(ExportResult firewall) {
        return firewall.text().lines().map(String::strip)
                .filter(l -> !l.startsWith("#") && l.contains(" timeout "))
                .map(l -> Cidr.parse(l.substring(0, l.indexOf(' '))).toString()).sorted().toList();
    }

    private FeedInput input(ExportResult r) throws IOException {
        Path file = Files.write(dir.resolve(r.fileName()), r.content());
        return new FeedInput(file, file.getFileName().toString());
    }

    /** RFC 4180: quoted fields may hold commas, doubled quotes and line breaks; records end at CRLF. */
    private static List<List<String>> parseCsv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
                i++;
            } else {
                field.append(c);
            }
        }
        return rows;
    }
}
