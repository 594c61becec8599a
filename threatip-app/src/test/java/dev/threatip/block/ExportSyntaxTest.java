package dev.threatip.block;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The exports of every golden case (the hostile one included) go through the real tools that
 * load them: {@code nft -c -f} (checks against the kernel without applying), {@code ipset
 * restore} (loads into uniquely named sets, compares the member counts, destroys them),
 * {@code iptables-restore --test} / {@code ip6tables-restore --test}, {@code nginx -t},
 * {@code haproxy -c} and {@code apache2 -t}. Each check first proves that the tool refuses a
 * broken file, so a tool that accepts anything cannot pass the test. A check is skipped when its
 * tool is not installed or lacks the privilege it needs (nft, ipset and iptables need
 * CAP_NET_ADMIN); CI installs them all ({@code .ci/run}) and runs as root.
 */
class ExportSyntaxTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "cut", "hostile"})
    void nftables_export_passesNftCheck(String caseName) throws Exception {
        Path probe = write("probe.nft", "table inet threatip_probe {\n}\n");
        assumeTrue(run("nft", "-c", "-f", probe.toString()).ok(), "nft missing or without CAP_NET_ADMIN");
        Path broken = write("broken.nft", "table inet t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags interval\n"
                + "\t\telements = { 192.0.2.0/24, 192.0.2.7 }\n\t}\n}\n");
        assertNotEquals(0, run("nft", "-c", "-f", broken.toString()).code, "nft refuses overlapping intervals");

        Path file = export(caseName, "nftables", ExportOptions.DEFAULT_NAME);
        Result r = run("nft", "-c", "-f", file.toString());
        assertEquals(0, r.code, r.output + "\n" + Files.readString(file));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "cut", "hostile"})
    void ipset_export_restoresIntoRealSetsWithEveryMember(String caseName) throws Exception {
        String name = "tip" + ThreadLocalRandom.current().nextInt(1_000_000, 9_999_999);
        Path probe = write("probe.ipset", "create " + name + "-probe hash:net family inet\n");
        assumeTrue(run("ipset", "restore", "-exist", "-file", probe.toString()).ok(), "ipset missing or without CAP_NET_ADMIN");
        run("ipset", "destroy", name + "-probe");
        Path broken = write("broken.ipset", "create " + name + "-bad hash:net family inet\nadd " + name + "-bad 999.0.2.1\n");
        try {
            assertNotEquals(0, run("ipset", "restore", "-exist", "-file", broken.toString()).code, "ipset refuses a bad address");
        } finally {
            run("ipset", "destroy", name + "-bad");
        }

        Path dirCase = DecisionFixtures.golden(caseName);
        ExportOptions options = DecisionFixtures.options(dirCase).withName(name);
        ExportResult result = Exporter.forTarget("ipset").export(DecisionFixtures.decisions(dirCase), options);
        Path file = write(name + ".ipset", result.text());
        try {
            for (int load = 0; load < 2; load++) { // a reload replaces, it does not fail on what exists
                Result r = run("ipset", "restore", "-exist", "-file", file.toString());
                assertEquals(0, r.code, r.output + "\n" + result.text());
            }
            long v4 = result.text().lines().filter(l -> l.startsWith("add " + name + "-ban4-new ")).count();
            long v6 = result.text().lines().filter(l -> l.startsWith("add " + name + "-ban6-new ")).count();
            assertEquals(result.exported(), v4 + v6);
            assertTrue(run("ipset", "list", name + "-ban4").output.contains("Number of entries: " + v4));
            assertTrue(run("ipset", "list", name + "-ban6").output.contains("Number of entries: " + v6));
            assertNotEquals(0, run("ipset", "list", name + "-ban4-new").code, "the staging set is gone");
        } finally {
            run("ipset", "destroy", name + "-ban4");
            run("ipset", "destroy", name + "-ban6");
            run("ipset", "destroy", name + "-ban4-new");
            run("ipset", "destroy", name + "-ban6-new");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "cut", "hostile"})
    void iptables_exports_passRestoreTest(String caseName) throws Exception {
        for (String family : List.of("iptables", "ip6tables")) {
            String tool = family + "-restore";
            Path probe = write("probe.rules", "*filter\n:THREATIP_PROBE - [0:0]\nCOMMIT\n");
            assumeTrue(run(tool, "--test", probe.toString()).ok(), tool + " missing or without CAP_NET_ADMIN");
            Path broken = write("broken.rules", "*filter\n:THREATIP - [0:0]\n-A THREATIP -s 999.0.2.1/32 -j DROP\nCOMMIT\n");
            assertNotEquals(0, run(tool, "--test", broken.toString()).code, tool + " refuses a bad address");

            Path file = export(caseName, family, ExportOptions.DEFAULT_NAME);
            Result r = run(tool, "--test", file.toString());
            assertEquals(0, r.code, r.output + "\n" + Files.readString(file));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "cut", "hostile"})
    void nginx_denyAndGeoExports_passNginxTest(String caseName) throws Exception {
        assumeTrue(run("nginx", "-v").ok(), "nginx missing");
        String name = DecisionFixtures.options(DecisionFixtures.golden(caseName)).name();
        Path broken = write("broken-deny.conf", "deny 999.0.2.1;\n");
        assertNotEquals(0, nginxTest(broken, write("empty-geo.conf", "")).code, "nginx refuses a bad address");

        Path deny = export(caseName, "nginx", name);
        Path geo = export(caseName, "nginx-geo", name);
        Result r = nginxTest(deny, geo);
        assertEquals(0, r.code, r.output + "\n" + Files.readString(deny) + Files.readString(geo));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "cut", "hostile"})
    void haproxy_aclAndMapExports_passHaproxyCheck(String caseName) throws Exception {
        assumeTrue(run("haproxy", "-v").ok(), "haproxy missing");
        Path broken = write("broken.acl", "999.0.2.1\n");
        assertNotEquals(0, haproxyCheck(broken, write("empty.map", ""), "threatip").code, "haproxy refuses a bad address");

        String name = DecisionFixtures.options(DecisionFixtures.golden(caseName)).name();
        Path acl = export(caseName, "haproxy", name);
        Path map = export(caseName, "haproxy-map", name);
        Result r = haproxyCheck(acl, map, name);
        assertEquals(0, r.code, r.output + "\n" + Files.readString(acl) + Files.readString(map));
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "cut", "hostile"})
    void apache_export_passesApacheConfigTest(String caseName) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/sbin/apache2"))
                && Files.exists(Path.of("/usr/lib/apache2/modules/mod_authz_host.so")), "apache2-bin missing");
        Path broken = write("broken-apache.conf", "<RequireAll>\n    Require all granted\n    Require not ip 999.0.2.1\n</RequireAll>\n");
        assertNotEquals(0, apacheTest(broken).code, "apache refuses a bad address");

        Path file = export(caseName, "apache", ExportOptions.DEFAULT_NAME);
        Result r = apacheTest(file);
        assertEquals(0, r.code, r.output + "\n" + Files.readString(file));
    }

    private Result nginxTest(Path deny, Path geo) throws Exception {
        Path prefix = Files.createDirectories(dir.resolve("nginx-" + System.nanoTime()));
        String temp = prefix.toString();
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, "pid " + temp + "/nginx.pid;\nerror_log " + temp + "/error.log;\nevents {}\nhttp {\n"
                + "    access_log off;\n    client_body_temp_path " + temp + "/body;\n    proxy_temp_path " + temp + "/proxy;\n"
                + "    fastcgi_temp_path " + temp + "/fastcgi;\n    uwsgi_temp_path " + temp + "/uwsgi;\n"
                + "    scgi_temp_path " + temp + "/scgi;\n"
                + "    include " + geo + ";\n"
                + "    server {\n        listen 127.0.0.1:18080;\n        location / {\n            include " + deny + ";\n"
                + "            return 204;\n        }\n    }\n}\n");
        return run("nginx", "-t", "-p", temp, "-c", conf.toString(), "-e", temp + "/error.log");
    }

    private Result haproxyCheck(Path acl, Path map, String name) throws Exception {
        Path cfg = write("haproxy-" + System.nanoTime() + ".cfg", "defaults\n    mode http\n    timeout connect 1s\n"
                + "    timeout client 1s\n    timeout server 1s\n"
                + "frontend web\n    bind 127.0.0.1:18081\n"
                + "    http-request deny deny_status 403 if { src -f " + acl + " }\n"
                + "    http-request set-var(txn." + name + ") src,map_ip(" + map + ")\n"
                + "    http-request deny deny_status 403 if { var(txn." + name + ") -m str ban }\n"
                + "    default_backend app\nbackend app\n    server app1 127.0.0.1:18082\n");
        return run("haproxy", "-c", "-q", "-f", cfg.toString());
    }

    private Result apacheTest(Path include) throws Exception {
        Path root = Files.createDirectories(dir.resolve("apache-" + System.nanoTime()));
        String modules = "/usr/lib/apache2/modules/";
        Path conf = root.resolve("httpd.conf");
        Files.writeString(conf, "ServerRoot " + root + "\nServerName localhost\nPidFile " + root + "/httpd.pid\n"
                + "ErrorLog " + root + "/error.log\nListen 127.0.0.1:18083\n"
                + "LoadModule mpm_event_module " + modules + "mod_mpm_event.so\n"
                + "LoadModule authz_core_module " + modules + "mod_authz_core.so\n"
                + "LoadModule authz_host_module " + modules + "mod_authz_host.so\n"
                + "<Location \"/\">\n    Include " + include + "\n</Location>\n");
        return run("/usr/sbin/apache2", "-t", "-f", conf.toString());
    }

    private Path export(String caseName, String format, String name) throws IOException {
        Path c = DecisionFixtures.golden(caseName);
        ExportResult r = Exporter.forTarget(format).export(DecisionFixtures.decisions(c), DecisionFixtures.options(c).withName(name));
        return write(caseName + "-" + format + r.fileName().substring(name.length()), r.text());
    }

    private Path write(String file, String text) throws IOException {
        return Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
    }

    private record Result(int code, String output) {
        boolean ok() {
            return code == 0;
        }
    }

    private static Result run(String... command) throws InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(command));
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Result(-1, "cannot run " + cmd.get(0) + ": " + e.getMessage());
        }
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-2, out + "\n(timed out)");
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
    }
}
