package dev.threatip.demo;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The sample shop's three services, each logging in its own format, as a real shop behind a CDN,
 * an API gateway and a cloud load balancer would. A line carries nothing that does not follow
 * from its request (connection ports, trace ids and timings are derived from a hash of it), so the
 * same traffic always gives the same bytes.
 */
enum Service {
    /** The storefront behind nginx: combined format. */
    SHOP("shop.example.com", "access.log", "combined") {
        @Override
        String line(Request r) {
            return r.ip() + " - - [" + CLF.format(Instant.ofEpochMilli(r.millis())) + "] \"" + r.method() + " "
                    + r.target() + " HTTP/1.1\" " + r.status() + " " + r.bytes() + " \"" + r.referer() + "\" \""
                    + r.userAgent() + "\"";
        }
    },
    /** The mobile and single-page-app API behind a gateway writing nginx-style JSON lines. */
    API("api.shop.example.com", "api-gateway.json", "json") {
        @Override
        String line(Request r) {
            SplittableRandom h = hash(r);
            StringBuilder b = new StringBuilder(320);
            b.append("{\"time\":\"").append(ISO_MILLIS.format(Instant.ofEpochMilli(r.millis())))
                    .append("\",\"remote_addr\":\"").append(r.ip())
                    .append("\",\"request_method\":\"").append(r.method())
                    .append("\",\"request_uri\":\"").append(json(r.target()))
                    .append("\",\"status\":").append(r.status())
                    .append(",\"body_bytes_sent\":").append(r.bytes())
                    .append(",\"request_time\":").append(String.format(Locale.ROOT, "%.3f", 0.002 + h.nextInt(180) / 1000.0))
                    .append(",\"upstream\":\"").append(upstream(r.target()))
                    .append("\",\"http_referer\":\"").append(json(r.referer()))
                    .append("\",\"http_user_agent\":\"").append(json(r.userAgent()))
                    .append("\",\"host\":\"").append(host())
                    .append("\",\"request_id\":\"").append(hex(h, 32)).append("\"}");
            return b.toString();
        }
    },
    /** Checkout and account pages behind an AWS Application Load Balancer: its access-log format. */
    CHECKOUT("checkout.shop.example.com", "alb.log", "aws-alb") {
        @Override
        String line(Request r) {
            SplittableRandom h = hash(r);
            Instant t = Instant.ofEpochMilli(r.millis());
            String target = "10.0." + (1 + h.nextInt(2)) + "." + (10 + h.nextInt(40)) + ":8080";
            String status = Integer.toString(r.status());
            return "https " + ISO_MICROS.format(t) + " app/shop-checkout/3f9c1e2a7b5d4c60 " + r.ip() + ":"
                    + (1024 + h.nextInt(64_000)) + " " + target + " 0.000 "
                    + String.format(Locale.ROOT, "%.3f", 0.004 + h.nextInt(250) / 1000.0) + " 0.000 "
                    + status + " " + status + " " + (180 + h.nextInt(700)) + " " + r.bytes()
                    + " \"" + r.method() + " https://" + host() + ":443" + r.target() + " HTTP/1.1\" \""
                    + r.userAgent() + "\" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 "
                    + "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-checkout/73e2d6bc24d8a067"
                    + " \"Root=1-" + Long.toHexString(r.millis() / 1000) + "-" + hex(h, 24) + "\" \"" + host()
                    + "\" \"arn:aws:acm:eu-west-1:123456789012:certificate/5c7d2e4f-91ab-4c3d-8e6f-0a1b2c3d4e5f\" 0 "
                    + ISO_MICROS.format(t.minusMillis(1)) + " \"forward\" \"-\" \"-\" \"" + target + "\" \""
                    + status + "\" \"-\" \"-\" TID_" + hex(h, 32);
        }
    };

    private static final DateTimeFormatter CLF = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MILLIS = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ISO_MICROS = DateTimeFormatter
            .ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    private final String host;
    private final String fileName;
    private final String format;

    Service(String host, String fileName, String format) {
        this.host = host;
        this.fileName = fileName;
        this.format = format;
    }

    /** The host name the service answers on. */
    String host() {
        return host;
    }

    /** Its log file's name under {@code logs/}. */
    String fileName() {
        return fileName;
    }

    /** The name of its log format in the format registry ({@code --format}). */
    String format() {
        return format;
    }

    /** The request as one log line of this service, without the line break. */
    abstract String line(Request r);

    private static SplittableRandom hash(Request r) {
        return new SplittableRandom(r.millis() * 31 + r.ip().hashCode() * 17L + r.target().hashCode());
    }

    private static String hex(SplittableRandom h, int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append("0123456789abcdef".charAt(h.nextInt(16)));
        }
        return b.toString();
    }

    private static String json(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }

    private static String upstream(String target) {
        if (target.startsWith("/api/v1/auth")) {
            return "identity";
        } else if (target.startsWith("/api/v1/cart")) {
            return "cart";
        } else if (target.startsWith("/api/v1/search")) {
            return "search";
        } else if (target.startsWith("/api/v1/recommendations")) {
            return "recommendations";
        }
        return "catalog";
    }
}
