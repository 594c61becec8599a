package dev.threatip.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.threatip.block.ExportOptions;
import dev.threatip.block.Exporter;
import dev.threatip.report.VerdictJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code threatip decisions export --format F [--out FILE] [--limit N]}: the decisions in force
 * on a running {@code serve}, as a file for an enforcement point, fetched from
 * {@code GET /api/v1/decisions/export} (like the other {@code decisions} commands, through the
 * API: the server holds the store). What the export left out is printed on stderr; the file goes
 * to stdout or, with {@code --out}, replaces FILE atomically, so a loader run from cron
 * ({@code nft -f}, {@code ipset restore}) never reads half of one.
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export the decisions in force for an enforcement point (through the running serve's API).",
            "Formats: nftables, ipset, iptables, ip6tables, nginx, nginx-geo, haproxy, haproxy-map, apache, plain, csv,"
                    + " json, stix, aws-sg (network ACL deny entries), aws-waf, tencent-sg, cloudflare."})
final class DecisionsExportCommand implements Callable<Integer> {
    @Mixin
    DecisionsCommand.Connection connection;

    @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "The target format (see above).")
    String format;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the file here, atomically (default: stdout).")
    Path out;

    @Option(names = "--limit", paramLabel = "N",
            description = "At most N entries, overriding the target's own capacity; the best-ranked decisions are kept.")
    Integer limit;

    @Option(names = "--bans-only", description = "Leave challenges out of the formats that could carry them.")
    boolean bansOnly;

    @Option(names = "--name", paramLabel = "NAME",
            description = "Base name of the table, sets, chain, variable or list written (default: threatip).")
    String name;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Override
    public Integer call() throws Exception {
        Exporter.forTarget(format); // every argument is checked before the server is asked
        if (limit != null && limit < 1) {
            throw new InputException("--limit: " + limit + " is out of range; allowed 1 or more");
        }
        if (name != null) {
            ExportOptions.at(Instant.EPOCH).withName(name);
        }
        StringBuilder query = new StringBuilder("/api/v1/decisions/export?format=").append(enc(format));
        if (limit != null) {
            query.append("&limit=").append(limit);
        }
        if (bansOnly) {
            query.append("&bans_only=true");
        }
        if (name != null) {
            query.append("&name=").append(enc(name));
        }
        HttpResponse<byte[]> r = fetch(query.toString());
        if (out == null) {
            spec.commandLine().getOut().print(new String(r.body(), StandardCharsets.UTF_8));
            spec.commandLine().getOut().flush();
        } else {
            writeAtomically(out, r.body());
        }
        String summary = r.headers().firstValue("X-Threatip-Summary").orElse(format + ": exported");
        spec.commandLine().getErr().println(summary + (out == null ? "" : " -> " + out));
        spec.commandLine().getErr().flush();
        return Main.EXIT_OK;
    }

    private HttpResponse<byte[]> fetch(String pathAndQuery) throws IOException, InterruptedException {
        String base = connection.server.endsWith("/")
                ? connection.server.substring(0, connection.server.length() - 1) : connection.server;
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofMinutes(2))
                    .header("Authorization", "Bearer " + connection.token()).GET().build();
        } catch (IllegalArgumentException e) {
            throw new InputException("--server: '" + connection.server + "' is not a URL");
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.net.ConnectException e) {
            throw new InputException(base + ": no threatip serve answers there (is it running? --server URL)");
        }
        if (r.statusCode() >= 400) {
            String message;
            try {
                JsonNode body = VerdictJson.MAPPER.readTree(r.body());
                message = body.path("error").path("message").asText("");
            } catch (IOException e) {
                message = "";
            }
            throw new InputException(message.isEmpty() ? base + " answered " + r.statusCode() : message);
        }
        return r;
    }

    /** Writes to a sibling temporary file and renames it over {@code file}. */
    private static void writeAtomically(Path file, byte[] content) throws IOException {
        Path target = file.toAbsolutePath();
        Path tmp = Files.createTempFile(target.getParent(), "." + target.getFileName(), ".tmp");
        try {
            Files.write(tmp, content);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
