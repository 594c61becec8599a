package dev.threatip.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.threatip.policy.Policy;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/** A real browser (headless Debian Chromium) solves both challenges and reaches the origin; a client without JavaScript does not. */
class GatewayBrowserTest {
    @TempDir
    Path dir;

    @Test
    void headlessChromium_solvesJsAndManagedChallenges_clientWithoutJavaScriptNeverPasses() throws Exception {
        HeadlessChromium.assumeInstalled();
        Policy policy = Policy.parse("browser-policy.yaml", """
                rules:
                  - id: account-area
                    path: /account
                    action: managed_challenge
                  - id: whole-site
                    path: /
                    action: js_challenge
                responses:
                  pow_difficulty: 14
                """, dir, System::nanoTime);
        try (Origin origin = new Origin()) {
            Gateway gw = Gateway.start(GatewaySettings.of(0, origin.uri()).withThreads(2), null, policy, null);
            String base = "http://127.0.0.1:" + gw.address().getPort();
            try (HeadlessChromium browser = HeadlessChromium.start(dir.resolve("profile"), 1024, 768)) {
                ChromeDriver d = browser.driver();
                d.get(base + "/products/42?color=blue");
                new WebDriverWait(d, Duration.ofSeconds(60)).until(x -> x.getPageSource().contains("hello from the origin"));
                assertEquals(base + "/products/42?color=blue", d.getCurrentUrl(), "back where the visitor wanted to go");
                assertTrue(origin.seen.stream().anyMatch(s -> s.path().equals("/products/42")
                        && s.headers().getFirst("X-threatip-verdict").contains("challenge=passed")));

                // the JS clearance does not open the managed area: that takes the proof of work
                d.get(base + "/account/orders");
                new WebDriverWait(d, Duration.ofSeconds(90)).until(x -> x.getPageSource().contains("hello from the origin"));
                assertEquals(base + "/account/orders", d.getCurrentUrl());
                assertEquals(2, gw.stats().solved(), gw.stats().toString());

                // later requests pass on the cookie, without a challenge
                long challenged = gw.stats().challenged();
                d.get(base + "/products/43");
                new WebDriverWait(d, Duration.ofSeconds(30)).until(x -> x.getPageSource().contains("hello from the origin"));
                assertEquals(challenged, gw.stats().challenged());
            }
            // curl-like: no JavaScript, never through
            int before = origin.requests.get();
            HttpClient http = Fixtures.client();
            for (String path : new String[] {"/products/42", "/account/orders"}) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(java.net.URI.create(base + path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(403, r.statusCode());
                assertTrue(r.body().contains("Checking your browser"));
            }
            assertEquals(before, origin.requests.get(), "the client without JavaScript reached nothing");
            gw.close();
        }
    }
}
