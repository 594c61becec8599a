package dev.threatip.gateway;

import dev.threatip.intel.FeedCompiler;
import dev.threatip.intel.FeedSource;
import dev.threatip.intel.FeedSpec;
import dev.threatip.intel.LiveReputation;
import dev.threatip.intel.ReputationIndex;
import dev.threatip.intel.ResolvedFeed;
import dev.threatip.net.AddressClass;
import dev.threatip.net.Cidr;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Snapshots, settings and clients the gateway tests share. */
final class Fixtures {
    /** A scanner the feeds list with high confidence. */
    static final String SCANNER_HIGH = "203.0.113.7";
    /** A scanner listed with moderate confidence. */
    static final String SCANNER_MODERATE = "203.0.113.8";
    /** A shopper nothing is known about. */
    static final String SHOPPER = "198.51.100.23";
    static final String CHROME = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/124.0.0.0 Safari/537.36";

    private Fixtures() {
    }

    /** A live reputation compiled with the project's FeedCompiler from two small scanner lists. */
    static LiveReputation reputation(Path dir) throws IOException {
        Path high = dir.resolve("scanners-high.txt");
        Files.writeString(high, "# scanners seen hitting many honeypots\n" + SCANNER_HIGH + "\n");
        Path moderate = dir.resolve("scanners-moderate.txt");
        Files.writeString(moderate, "# scanners seen a few times\n" + SCANNER_MODERATE + "\n");
        FeedSource source = new FeedSource(dir.resolve("cache"), Clock.systemUTC(), FeedSource.FetchSettings.defaults());
        List<ResolvedFeed> feeds = new ArrayList<>();
        feeds.addAll(source.resolve(FeedSpec.parse(high + ",name=scanners_high,category=scanner,confidence=high")));
        feeds.addAll(source.resolve(FeedSpec.parse(moderate + ",name=scanners_moderate,category=scanner,confidence=moderate")));
        Path out = dir.resolve("intel.tis");
        new FeedCompiler(FeedCompiler.Options.defaults().withAllowedSpecial(Set.of(AddressClass.DOCUMENTATION))).compile(feeds, out);
        return LiveReputation.open(out, ReputationIndex.OpenOptions.defaults());
    }

    /** Gateway settings towards {@code origin}, trusting loopback as a proxy so tests can play any client. */
    static GatewaySettings settings(Origin origin, Path dir) {
        return GatewaySettings.of(0, origin.uri())
                .withTrustedProxies(List.of(Cidr.parse("127.0.0.1/32")))
                .withHitLog(dir.resolve("gate-hits.log"))
                .withThreads(2);
    }

    static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    static URI url(Gateway gw, String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + gw.address().getPort() + pathAndQuery);
    }

    /** A GET as {@code client} (via X-Forwarded-For from the trusted loopback proxy). */
    static HttpResponse<String> get(HttpClient http, Gateway gw, String path, String client, String ua)
            throws IOException, InterruptedException {
        HttpRequest r = HttpRequest.newBuilder(url(gw, path)).timeout(Duration.ofSeconds(20))
                .header("X-Forwarded-For", client).header("User-Agent", ua).GET().build();
        return http.send(r, HttpResponse.BodyHandlers.ofString());
    }
}
