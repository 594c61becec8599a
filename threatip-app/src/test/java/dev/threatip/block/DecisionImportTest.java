package dev.threatip.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.net.Cidr;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class DecisionImportTest {
    private static final DecisionImport.Defaults DEFAULTS = new DecisionImport.Defaults(DecisionType.BAN,
            Duration.ofHours(24), "imported from list", false);

    private static List<String> scopes(DecisionImport.Result r) {
        return r.entries().stream().map(e -> e.request().scope().toString()).toList();
    }

    @Test
    void csv_readsTheScopeColumnAndOptionalColumns_badLinesByNumber() {
        DecisionImport.Result r = DecisionImport.read("""
                ip,type,duration,reason
                91.240.157.246,captcha,4h,"login stuffing, 300 tries"
                185.180.246.0/24,,,
                999.1.1.1,ban,1h,typo
                45.155.205.233,block,1h,
                """, null, DEFAULTS);
        assertEquals(DecisionImport.Format.CSV, r.format());
        assertEquals(List.of("91.240.157.246/32", "185.180.246.0/24"), scopes(r));
        ManualDecisions.Request first = r.entries().get(0).request();
        assertEquals(DecisionType.CAPTCHA, first.type());
        assertEquals(Duration.ofHours(4), first.duration());
        assertEquals("login stuffing, 300 tries", first.reason());
        assertEquals(new ManualDecisions.Request(Cidr.parse("185.180.246.0/24"), DecisionType.BAN, Duration.ofHours(24),
                "imported from list", false), r.entries().get(1).request());
        assertEquals(List.of(4, 5), r.bad().stream().map(DecisionImport.BadLine::line).toList());
        assertTrue(r.bad().get(1).why().contains("unknown decision type 'block'"), r.bad().get(1).why());
    }

    @Test
    void json_readsArraysOrADecisionsMember_withLineNumbers() {
        DecisionImport.Result r = DecisionImport.read("""
                {"decisions": [
                  {"value": "91.240.157.246", "type": "ban", "duration": "7d"},
                  {"scope": "2a02:4780:12::/48", "reason": "hosting range"},
                  {"type": "ban"},
                  "185.180.246.23"
                ]}
                """, null, DEFAULTS);
        assertEquals(DecisionImport.Format.JSON, r.format());
        assertEquals(List.of("91.240.157.246/32", "2a02:4780:12::/48"), scopes(r));
        assertEquals(Duration.ofDays(7), r.entries().get(0).request().duration());
        assertEquals(3, r.entries().get(1).line());
        assertEquals(List.of(new DecisionImport.BadLine(4, "no address or CIDR"),
                new DecisionImport.BadLine(5, "expected a decision object")), r.bad());

        DecisionImport.Result broken = DecisionImport.read("[{\"ip\": \"91.240.157.246\"},\n{\"ip\": ]", null, DEFAULTS);
        assertEquals(1, broken.entries().size(), "what came before the syntax error is kept");
        assertEquals(2, broken.bad().get(0).line());
        assertTrue(broken.bad().get(0).why().startsWith("not valid JSON"), broken.bad().get(0).why());
    }

    @Test
    void plain_takesTheFirstTokenAndCommentsAsReasons() {
        DecisionImport.Result r = DecisionImport.read("# header\r\n91.240.157.246 ; ssh brute force\r\n\r\n185.180.246.0/24\r\n",
                null, DEFAULTS);
        assertEquals(DecisionImport.Format.PLAIN, r.format());
        assertEquals(List.of("91.240.157.246/32", "185.180.246.0/24"), scopes(r));
        assertEquals("ssh brute force", r.entries().get(0).request().reason());
        assertEquals("imported from list", r.entries().get(1).request().reason());
        assertEquals(4, r.entries().get(1).line());
    }
}
