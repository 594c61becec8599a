package dev.threatip.gateway;

import static dev.threatip.gateway.Fixtures.SCANNER_HIGH;
import static dev.threatip.gateway.Fixtures.SHOPPER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.threatip.policy.Policy;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS from PEM files, HTTP/2 by ALPN (and HTTP/1.1 for clients that ask for it). */
class GatewayTlsTest {
    @TempDir
    Path dir;

    @Test
    void tls_http2AndHttp11Clients_areServedAndDecided() throws Exception {
        Path openssl = Path.of("/usr/bin/openssl");
        assumeTrue(Files.isExecutable(openssl), "needs openssl to make a test certificate");
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder(openssl.toString(), "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", cert.toString(), "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertEquals(0, p.waitFor());

        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("gate", (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);

        try (Origin origin = new Origin()) {
            Gateway gw = Gateway.start(Fixtures.settings(origin, dir).withTls(cert, key), Fixtures.reputation(dir), Policy.defaults(), null);
            try {
                URI base = URI.create("https://127.0.0.1:" + gw.address().getPort());
                HttpClient h2 = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_2)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                HttpResponse<String> hello = h2.send(HttpRequest.newBuilder(base.resolve("/")).header("X-Forwarded-For", SHOPPER).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, hello.statusCode());
                assertEquals(HttpClient.Version.HTTP_2, hello.version());
                assertEquals("hello from the origin\n", hello.body());
                assertEquals("https", origin.lastHeaders().get("X-forwarded-proto").get(0));

                byte[] upload = new byte[1024 * 1024 + 5];
                new Random(7).nextBytes(upload);
                HttpResponse<String> echo = h2.send(HttpRequest.newBuilder(base.resolve("/echo")).header("X-Forwarded-For", SHOPPER)
                        .POST(HttpRequest.BodyPublishers.ofByteArray(upload)).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(HttpClient.Version.HTTP_2, echo.version());
                assertEquals(upload.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(upload)), echo.body());

                HttpResponse<String> blocked = h2.send(HttpRequest.newBuilder(base.resolve("/.git/config"))
                        .header("X-Forwarded-For", SCANNER_HIGH).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(403, blocked.statusCode());

                HttpClient h1 = HttpClient.newBuilder().sslContext(ssl).version(HttpClient.Version.HTTP_1_1).build();
                HttpResponse<String> one = h1.send(HttpRequest.newBuilder(base.resolve("/")).header("X-Forwarded-For", SHOPPER).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(HttpClient.Version.HTTP_1_1, one.version());
                assertEquals(200, one.statusCode());
            } finally {
                gw.close();
            }
        }
    }
}
