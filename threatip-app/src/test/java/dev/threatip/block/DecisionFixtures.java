package dev.threatip.block;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.threatip.intel.Category;
import dev.threatip.intel.Confidence;
import dev.threatip.net.Cidr;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * The golden cases under {@code block/golden/<case>/}: {@code decisions.json} (the fields of the
 * json export's decisions) and {@code options.properties} ({@code now}, optional {@code limit},
 * {@code bans_only}, {@code name}).
 */
final class DecisionFixtures {
    private static final ObjectMapper JSON = new ObjectMapper();

    private DecisionFixtures() {
    }

    /** The folder of the golden cases on the test class path. */
    static Path goldenRoot() {
        try {
            return Path.of(DecisionFixtures.class.getResource("/block/golden").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A case folder. */
    static Path golden(String name) {
        return goldenRoot().resolve(name);
    }

    /** The decisions of a case. */
    static List<Decision> decisions(Path caseDir) {
        try {
            List<Decision> out = new ArrayList<>();
            for (JsonNode n : JSON.readTree(caseDir.resolve("decisions.json").toFile())) {
                out.add(decision(n));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The options of a case. */
    static ExportOptions options(Path caseDir) {
        try {
            Properties p = new Properties();
            p.load(new StringReader(Files.readString(caseDir.resolve("options.properties"))));
            return new ExportOptions(Instant.parse(p.getProperty("now")), Integer.parseInt(p.getProperty("limit", "0")),
                    Boolean.parseBoolean(p.getProperty("bans_only", "false")), p.getProperty("name", ExportOptions.DEFAULT_NAME));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A ban of {@code scope} for a day from {@code created}, with the given confidence and hits. */
    static Decision ban(long id, String scope, Instant created, Confidence confidence, long hits) {
        return new Decision(id, Cidr.parse(scope), DecisionType.BAN, created, created.plusSeconds(86_400),
                "scanner " + (confidence == null ? "manual" : confidence.wireName()) + ": probing-4xx",
                DecisionOrigin.AUTO, "ban-high", Category.SCANNER, confidence, hits, 1);
    }

    private static Decision decision(JsonNode n) {
        return new Decision(n.get("id").asLong(), Cidr.parse(n.get("scope").asText()),
                DecisionType.fromWire(n.get("type").asText()), Instant.parse(n.get("created").asText()),
                Instant.parse(n.get("expires").asText()), text(n, "reason"), DecisionOrigin.fromWire(n.get("origin").asText()),
                text(n, "policy"), text(n, "category") == null ? null : Category.fromWire(text(n, "category")),
                text(n, "confidence") == null ? null : Confidence.fromWire(text(n, "confidence")),
                n.get("hits").asLong(), n.get("offence").asInt());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
