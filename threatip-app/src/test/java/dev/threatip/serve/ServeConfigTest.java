package dev.threatip.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.net.AddressClass;
import dev.threatip.net.Cidr;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code threatip.yaml} for serve: defaults, a full file, and refusals that name the key. */
class ServeConfigTest {
    @TempDir
    Path dir;

    private ServeConfig load(String yaml) throws IOException {
        Path f = dir.resolve("threatip.yaml");
        Files.writeString(f, yaml);
        return ServeConfig.load(f);
    }

    private String refusal(String yaml) {
        return assertThrows(ConfigException.class, () -> load(yaml)).getMessage();
    }

    @Test
    void defaultsAreSafe() {
        ServeConfig c = ServeConfig.defaults();
        assertEquals("127.0.0.1", c.server().bind());
        assertEquals(8080, c.server().port());
        assertEquals(Duration.ofDays(7), c.server().retention());
        assertEquals(Duration.ofHours(24), c.feeds().refresh());
        assertTrue(c.inputs().http());
        assertNull(c.inputs().syslog());
        assertTrue(c.inputs().startAtEnd());
        assertTrue(c.rules().enabled());
        assertNull(c.server().adminToken());
    }

    @Test
    void aFullFileIsReadWithPathsRelativeToIt() throws IOException {
        ServeConfig c = load("""
                feeds:
                  specs: [feeds/, "https://lists.blocklist.de/lists/ssh.txt,category=brute_force"]
                  allow_special: [private]
                  refresh: 6h
                inputs:
                  files: [/var/log/nginx/access.log, "logs/*.log"]
                  start_at: beginning
                  format: combined
                  trusted_proxies: [10.0.0.0/8, 2001:db8::/32]
                  syslog: {port: 5514, tcp: false}
                  http: false
                rules:
                  files: [my-rules.yaml]
                server:
                  bind: 0.0.0.0
                  port: 9090
                  data_dir: data
                  admin_token: 0123456789abcdef0123
                  read_tokens: [fedcba9876543210fedc]
                  retention: 30d
                geo:
                  city: GeoLite2-City.mmdb
                  asn: [asn.csv]
                """);
        assertEquals(2, c.feeds().specs().size());
        assertEquals(Set.of(AddressClass.PRIVATE), c.feeds().allowSpecial());
        assertEquals(Duration.ofHours(6), c.feeds().refresh());
        assertEquals(List.of("/var/log/nginx/access.log", dir.resolve("logs/*.log").toString()), c.inputs().files());
        assertFalse(c.inputs().startAtEnd());
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("2001:db8::/32")), c.inputs().trustedProxies());
        assertEquals(new ServeConfig.Syslog(5514, true, false, "auto"), c.inputs().syslog());
        assertFalse(c.inputs().http());
        assertEquals(List.of(dir.resolve("my-rules.yaml")), c.rules().files());
        assertEquals(9090, c.server().port());
        assertEquals(dir.resolve("data"), c.server().dataDir());
        assertEquals(Duration.ofDays(30), c.server().retention());
        assertEquals(List.of(dir.resolve("GeoLite2-City.mmdb")), c.geo().city());
    }

    @Test
    void badValuesNameTheKeyAndWhatIsAllowed() {
        assertTrue(refusal("server: {port: 70000}").contains("server.port: '70000' is out of range; allowed: 0 to 65535"));
        assertTrue(refusal("server: {prot: 80}").contains("server.prot: unknown key; known:"));
        assertTrue(refusal("inputs: {start_at: middle}").contains("inputs.start_at: 'middle' is not allowed; allowed: end, beginning"));
        assertTrue(refusal("feeds: {refresh: often}").contains("feeds.refresh: 'often' is not a duration"));
        assertTrue(refusal("feeds: {refresh: 5s}").contains("feeds.refresh: '5s' is out of range"));
        assertTrue(refusal("inputs: {trusted_proxies: [10.0.0.0/33]}").contains("inputs.trusted_proxies[0]"));
        assertTrue(refusal("inputs: {syslog: {udp: false, tcp: false}}").contains("inputs.syslog.udp"));
        assertTrue(refusal("server: {admin_token: short}").contains("server.admin_token: too short"));
        assertTrue(refusal("rules: {enabled: maybe}").contains("rules.enabled: 'maybe' is not true or false"));
        assertTrue(refusal("colour: blue").contains("colour: unknown key"));
        assertTrue(refusal("blocking: {ban: x}").contains("blocking.ban: unknown key; known:"));
        assertTrue(refusal("alerts: {slack: x}").contains("alerts.slack: unknown key; known:"));
        assertTrue(refusal("server: [1, 2]").contains("server: expected a mapping"));
        assertTrue(refusal("server: {port: 80\n").contains("not valid YAML"));
    }
}
