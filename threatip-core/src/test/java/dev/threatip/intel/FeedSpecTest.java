package dev.threatip.intel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FeedSpecTest {

    @Test
    void parse_locationOnly_leavesEverythingToInfer() {
        FeedSpec s = FeedSpec.parse("/x/feeds/firehol-2022/blocklist_de_ssh.ipset");
        assertEquals("/x/feeds/firehol-2022/blocklist_de_ssh.ipset", s.location());
        assertNull(s.name());
        assertNull(s.format());
        assertEquals(Set.of(), s.categories());
        assertNull(s.confidence());
        assertNull(s.ttl());
        assertNull(s.minRefresh());
        assertEquals(Map.of(), s.options());
        assertEquals("blocklist_de_ssh", s.effectiveName());
        assertFalse(s.isUrl());
    }

    @Test
    void parse_everyKey_setsEveryField() {
        FeedSpec s = FeedSpec.parse("feeds/abuse.csv,name=abuse,format=csv,category=brute_force,"
                + "confidence=high,ttl=7d,refresh=15m,ip-column=ip,to-ids=any,role=allow");
        assertEquals("feeds/abuse.csv", s.location());
        assertEquals("abuse", s.name());
        assertEquals(FeedFormat.CSV, s.format());
        assertEquals(Set.of(Category.BRUTE_FORCE), s.categories());
        assertEquals(Confidence.HIGH, s.confidence());
        assertEquals(Duration.ofDays(7), s.ttl());
        assertEquals(Duration.ofMinutes(15), s.minRefresh());
        assertEquals(Map.of("ip-column", "ip", "to-ids", "any", "role", "allow"), s.options());
        assertEquals("abuse", s.effectiveName());
    }

    @Test
    void parse_categoryRepeatedOrJoinedWithPlus_collectsAll() {
        assertEquals(Set.of(Category.SCANNER, Category.WEB_ATTACK, Category.EXPLOIT),
                FeedSpec.parse("a.txt,category=scanner+web_attack,category=exploit").categories());
    }

    @Test
    void parse_formatAlias_netsetIsIpset() {
        assertEquals(FeedFormat.IPSET, FeedSpec.parse("a,format=netset").format());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "30s|PT30S", "15m|PT15M", "24h|PT24H", "7d|P7D", "500ms|PT0.5S", "P1D|P1D", "PT6H|PT6H", "p2d|P2D"})
    void parse_durations_shortAndIsoForms(String text, String iso) {
        assertEquals(Duration.parse(iso), FeedSpec.parse("a.txt,ttl=" + text).ttl());
    }

    @Test
    void parse_quotedUrlWithCommas_keepsTheWholeUrl() {
        FeedSpec s = FeedSpec.parse("\"https://feeds.example/list?fields=ip,score&x=1\",name=ex,format=csv");
        assertEquals("https://feeds.example/list?fields=ip,score&x=1", s.location());
        assertEquals("ex", s.name());
        assertEquals(FeedFormat.CSV, s.format());
        assertTrue(s.isUrl());
    }

    @Test
    void parse_quotedLocationAlone_isAccepted() {
        assertEquals("/data/my feeds/a,b.txt", FeedSpec.parse("\"/data/my feeds/a,b.txt\"").location());
    }

    @Test
    void parse_spacesAroundFields_areTrimmed() {
        FeedSpec s = FeedSpec.parse("a.txt, name = x , category = scanner");
        assertEquals("x", s.name());
        assertEquals(Set.of(Category.SCANNER), s.categories());
    }

    @Test
    void parse_unknownCategory_namesSpecKeyAndKnownValues() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeedSpec.parse("x,category=foo"));
        assertTrue(e.getMessage().startsWith("feed spec 'x,category=foo': category: unknown category 'foo'; known: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("brute_force"), e.getMessage());
    }

    @Test
    void parse_unknownFormat_namesKeyAndKnownFormats() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeedSpec.parse("x,format=xml"));
        assertEquals("feed spec 'x,format=xml': format: unknown feed format 'xml'; known: plain, ipset, ipsum, csv, "
                + "stix, misp, misp-csv, tor, warninglist", e.getMessage());
    }

    @Test
    void parse_unknownConfidence_namesKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeedSpec.parse("x,confidence=certain"));
        assertTrue(e.getMessage().contains("confidence: unknown confidence 'certain'; known: general, moderate, high"),
                e.getMessage());
    }

    @Test
    void parse_badDuration_namesKeyAndForms() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FeedSpec.parse("x,refresh=soon"));
        assertTrue(e.getMessage().startsWith("feed spec 'x,refresh=soon': refresh: bad duration 'soon'"), e.getMessage());
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class, () -> FeedSpec.parse("x,ttl=0s"));
        assertTrue(zero.getMessage().contains("ttl: duration '0s' must be greater than zero"), zero.getMessage());
    }

    @Test
    void parse_malformedFields_areRefusedWithTheReason() {
        assertMessage("x,name", "feed spec 'x,name': field 'name' is not key=value");
        assertMessage("x,Name=a", "feed spec 'x,Name=a': key 'Name' must match [a-z][a-z0-9-]*");
        assertMessage("x,ip_column=a", "feed spec 'x,ip_column=a': key 'ip_column' must match [a-z][a-z0-9-]*");
        assertMessage("x,name=", "feed spec 'x,name=': key 'name' has no value");
        assertMessage("x,name=a,name=b", "feed spec 'x,name=a,name=b': key 'name' given twice");
        assertMessage("x,", "feed spec 'x,': field '' is not key=value");
        assertMessage(",name=a", "feed spec ',name=a': no location");
        assertMessage("\"https://a/b?c,d", "feed spec '\"https://a/b?c,d': quoted location has no closing '\"'");
        assertMessage("\"a\"b,name=c", "feed spec '\"a\"b,name=c': expected ',' after the quoted location");
        assertMessage("", "feed spec is empty; expected PATH_OR_URL[,key=value]...");
    }

    private static void assertMessage(String spec, String message) {
        assertEquals(message, assertThrows(IllegalArgumentException.class, () -> FeedSpec.parse(spec)).getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "/x/feeds/firehol-2022/blocklist_de_ssh.ipset|blocklist_de_ssh",
            "/x/feeds/firehol-2022/firehol_level1.netset|firehol_level1",
            "/x/ipsum/levels/3.txt|ipsum_levels_3",
            "/x/ipsum/levels/1.txt.gz|ipsum_levels_1",
            "levels/3.txt|levels_3",
            "3.txt|3",
            "/x/abuseipdb/abuseipdb-s100-1d_compressed.ipv4.gz|abuseipdb-s100-1d_compressed",
            "/x/ipsum/ipsum.txt.gz|ipsum",
            "/x/tor/tor-exit-nodes.lst|tor-exit-nodes",
            "/x/ultimate-bad-bot-blocker/bad-ip-addresses.list|bad-ip-addresses",
            "/x/misp-warninglists/public-dns-v4.json.gz|public-dns-v4",
            "/x/misp/decian-feed|decian-feed",
            "/x/misp/decian-feed/|decian-feed",
            "/x/misp/decian-feed/manifest.json|decian-feed",
            "/x/My Feeds/Bad+List (v2).CSV|bad_list__v2_",
            "C:\\feeds\\Spamhaus DROP.txt|spamhaus_drop",
            "https://iplists.firehol.org/files/firehol_level1.netset|firehol_level1",
            "https://raw.githubusercontent.com/stamparm/ipsum/master/levels/3.txt|master_levels_3",
            "https://example.org/feeds/list.txt?key=abc#frag|list",
            "https://check.torproject.org/torbulkexitlist|torbulkexitlist",
            "https://Feeds.Example.ORG|feeds.example.org",
            "https://feeds.example.org/|feeds.example.org",
            "https://www.circl.lu/doc/misp/feed-osint/manifest.json|feed-osint"})
    void inferName_realShapes(String location, String name) {
        assertEquals(name, FeedSpec.inferName(location));
    }

    @Test
    void constructor_badOptionKey_isRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new FeedSpec("a", null, null,
                null, null, null, null, Map.of("Bad Key", "v")));
        assertEquals("feed option key 'Bad Key' must match [a-z][a-z0-9-]*", e.getMessage());
    }

    @Test
    void of_location_infersName() {
        FeedSpec s = FeedSpec.of("https://example.org/a/tor_exits.ipset");
        assertEquals("tor_exits", s.effectiveName());
        assertTrue(s.isUrl());
    }
}
